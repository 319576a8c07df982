import { describe, expect, it } from "vitest";
import { SwitchWatch } from "./switch-watch.ts";

const watching = () => {
  const switches: string[] = [];
  return { switches, watch: new SwitchWatch((previous) => switches.push(previous)) };
};

describe("when an app forgets one person's work", () => {
  it("on every sign-in, sign-out or change of user the person starts, before it starts", () => {
    const { switches, watch } = watching();
    watch.acted();
    watch.saw("");
    watch.saw("sw.patel");
    watch.acted();
    expect(switches).toEqual(["", "sw.patel"]);
  });

  it("once per change: the action's own sign-out on the way to the next user is not another", () => {
    const { switches, watch } = watching();
    watch.saw("sw.patel");
    watch.acted();
    watch.saw("");
    watch.saw("pc.jones");
    expect(switches).toEqual(["sw.patel"]);
  });

  it("when the person goes without acting (an expiry), but not when a token is renewed", () => {
    const { switches, watch } = watching();
    watch.saw("sw.patel");
    watch.saw("sw.patel");
    expect(switches).toEqual([]);
    watch.saw("");
    expect(switches).toEqual(["sw.patel"]);
  });
});
