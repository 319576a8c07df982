import { describe, expect, it } from "vitest";
import { describeRequest, NO_REQUEST_YET } from "./request-report.ts";
import { returnedBy } from "./returned-ids.ts";

describe("the request status line", () => {
  it("shows the id to quote with the HTTP status and the operation, for an error too", () => {
    expect(
      describeRequest({
        kind: "answered",
        operationName: "SubjectOverview",
        requestId: "rid-1",
        status: 403,
        filled: [],
      }),
    ).toEqual({
      lead: "Request id: ",
      requestId: "rid-1",
      detail: " (HTTP 403, SubjectOverview).",
    });
  });

  it("says which ids it filled in for an earlier step", () => {
    const line = describeRequest({
      kind: "answered",
      operationName: "ScreenContact",
      requestId: "rid-2",
      status: 200,
      filled: [{ step: "RecordContact", id: "CON-1" }],
    });
    expect(line.detail).toBe(
      ` (HTTP 200, ScreenContact). Sent CON-1 for "${returnedBy("RecordContact")}".`,
    );
  });

  it("says why there is no id rather than showing an old one", () => {
    expect(describeRequest(undefined)).toBe(NO_REQUEST_YET);
    expect(describeRequest({ kind: "not-sent", reason: "nobody is signed in" })).toEqual({
      lead: "Not sent, so no request id: nobody is signed in.",
    });
    expect(
      describeRequest({ kind: "unreachable", reason: "Failed to fetch" }).requestId,
    ).toBeUndefined();
    expect(describeRequest({ kind: "answered", status: 502, filled: [] })).toEqual({
      lead: "The answer (HTTP 502) carried no X-Request-Id.",
    });
  });
});
