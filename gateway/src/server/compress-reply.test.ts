import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { ConfigError } from "@mash/kit/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  COMPRESS_FROM_BYTES,
  type ReplyCompression,
  replyCompressionFrom,
  sendCompressible,
} from "./compress-reply.ts";
import { rawRequest } from "./raw-request.test-support.ts";

// An answer's shape: the same withheld-field error again and again.
const error = `{"message":"Withheld.","path":["subjects",3,"address"],"extensions":{"code":"UNAUTHORIZED_FIELD_OR_TYPE"}}`;
const long = Buffer.from(`{"errors":[${Array(200).fill(error).join(",")}],"data":null}\n`);
const short = Buffer.from(`{"data":{"subject":null}}\n`);

let server: Server;
let port: number;
beforeAll(async () => {
  // The body, the compression and a Vary set before (as CORS does) are the request's to choose.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.searchParams.has("origin")) res.setHeader("vary", "Origin");
    sendCompressible(
      req,
      res,
      200,
      { "content-type": "application/json" },
      url.searchParams.get("size") === "short" ? short : long,
      (url.searchParams.get("compression") ?? "gzip") as ReplyCompression,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The raw reply: node:http does not decompress, so what was sent is what is seen. */
const get = (query: string, acceptEncoding?: string) =>
  rawRequest({
    port,
    path: `/?${query}`,
    headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding },
  });

describe("answers gzipped for clients that take gzip", () => {
  it("gzips a long answer when asked, to the same bytes, with its length and Vary", async () => {
    const { headers, body } = await get("", "gzip, deflate, br");
    expect(headers["content-encoding"]).toBe("gzip");
    expect(Number(headers["content-length"])).toBe(body.length);
    expect(body.length).toBeLessThan(long.length / 10);
    expect(gunzipSync(body).equals(long)).toBe(true);
    expect(headers.vary).toBe("Accept-Encoding");
  });

  it.each([
    ["no Accept-Encoding", undefined],
    ["identity only", "identity"],
    ["gzip refused with q=0", "gzip;q=0, identity"],
    ["only codings we do not write", "br, zstd"],
    ["everything but gzip", "*, gzip;q=0"],
  ])("sends it as it is with %s", async (_name, acceptEncoding) => {
    const { headers, body } = await get("", acceptEncoding);
    expect(headers["content-encoding"]).toBeUndefined();
    expect(body.equals(long)).toBe(true);
    expect(Number(headers["content-length"])).toBe(long.length);
    // It could have been compressed: a cache must not hand this to a client that asked for gzip.
    expect(headers.vary).toBe("Accept-Encoding");
  });

  it.each([
    ["a wildcard", "*"],
    ["gzip at a q-value under 1", "gzip;q=0.5"],
    ["gzip in capitals", "GZIP"],
  ])("gzips it for %s", async (_name, acceptEncoding) => {
    const { headers, body } = await get("", acceptEncoding);
    expect(headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(body).equals(long)).toBe(true);
  });

  it("keeps the Vary set before it", async () => {
    const { headers } = await get("origin=1", "gzip");
    expect(headers.vary).toBe("Origin, Accept-Encoding");
  });

  it(`leaves an answer under ${COMPRESS_FROM_BYTES} bytes as it is, with no Vary`, async () => {
    const { headers, body } = await get("size=short", "gzip");
    expect(headers["content-encoding"]).toBeUndefined();
    expect(body.equals(short)).toBe(true);
    expect(headers.vary).toBeUndefined();
  });

  it("never compresses with MASH_HTTP_COMPRESSION=off", async () => {
    const { headers, body } = await get("compression=off", "gzip");
    expect(headers["content-encoding"]).toBeUndefined();
    expect(body.equals(long)).toBe(true);
  });

  it("gives the same bytes for the same answer: its size tells no more than its text", async () => {
    const [a, b] = await Promise.all([get("", "gzip"), get("", "gzip")]);
    expect(a.body.equals(b.body)).toBe(true);
  });
});

describe("MASH_HTTP_COMPRESSION", () => {
  it.each([
    [undefined, "gzip"],
    ["", "gzip"],
    ["gzip", "gzip"],
    [" OFF ", "off"],
  ])("%j is %s", (value, expected) => {
    expect(replyCompressionFrom({ MASH_HTTP_COMPRESSION: value })).toBe(expected);
  });

  it("refuses anything else, naming the variable and what it takes", () => {
    const read = () => replyCompressionFrom({ MASH_HTTP_COMPRESSION: "brotli" });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/MASH_HTTP_COMPRESSION.*"brotli".*"gzip".*"off"/s);
  });
});
