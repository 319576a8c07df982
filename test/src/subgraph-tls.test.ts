import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type GatewayConfig,
  loadIdentityConfig,
  type RunningGateway,
  startGateway,
  supergraphFile,
} from "@mash/gateway";
import {
  ConfigError,
  createLogger,
  devContextKey,
  importSigningKey,
  publicContextJwk,
  type RunningSubgraph,
  startSubgraph,
  subgraphTlsFrom as subgraphServerTlsFrom,
} from "@mash/kit";
import { tempStores } from "@mash/kit/testing";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subgraphTlsFrom } from "../../gateway/src/transport/subgraph-tls-config.ts";
import {
  createSubgraphTransport,
  PlainSubgraphUrl,
} from "../../gateway/src/transport/subgraph-transport.ts";
import { agencies } from "../../scripts/agencies.ts";
import { testGatewayConfig } from "./system.ts";
import { makeTestCertificates, type TestCertificates } from "./tls-certificates.ts";

const quiet = createLogger("test", "silent");

describe("HTTPS to subgraphs, with client certificates required", () => {
  let certs: TestCertificates;
  const temp = tempStores("sqlite");
  const gatewayData = mkdtempSync(join(tmpdir(), "mash-tls-gateway-"));
  const subgraphs: RunningSubgraph[] = [];
  const gateways: RunningGateway[] = [];
  let endpoints: { name: string; url: string }[] = [];

  beforeAll(async () => {
    certs = makeTestCertificates();
    const devKey = await devContextKey(gatewayData);
    // Every agency as an agency would run it: HTTPS with its certificate, the gateway's CA required.
    const tls = subgraphServerTlsFrom({
      MASH_TLS_CERT_FILE: certs.serverCert,
      MASH_TLS_KEY_FILE: certs.serverKey,
      MASH_TLS_CLIENT_CA_FILE: certs.caCert,
    });
    for (const agency of agencies)
      subgraphs.push(
        await startSubgraph(agency, {
          env: process.env,
          port: 0,
          store: temp.configFor(agency.name),
          seedSubjects: 20,
          logger: quiet,
          contextVerifyKeys: [publicContextJwk(devKey)],
          tls,
        }),
      );
    endpoints = subgraphs.map((s) => ({ name: s.name, url: s.url }));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(subgraphs.map((s) => s.stop()));
    await temp.cleanup();
    rmSync(gatewayData, { recursive: true, force: true });
    certs?.remove();
  });

  /** A gateway over the HTTPS subgraphs, with these MASH_SUBGRAPH_* settings. */
  const gatewayWith = async (
    env: Record<string, string>,
    overrides: Partial<GatewayConfig> = {},
  ) => {
    const config = Object.assign(testGatewayConfig(endpoints, overrides), {
      subgraphTls: subgraphTlsFrom(env),
    });
    const gateway = await startGateway(config, {
      logger: quiet,
      identity: loadIdentityConfig({ MASH_DATA_DIR: gatewayData }),
      contextKey: await importSigningKey(await devContextKey(gatewayData), "test"),
    });
    gateways.push(gateway);
    return gateway;
  };
  const trusted = () => ({
    MASH_SUBGRAPH_CA_FILE: certs.caCert,
    MASH_SUBGRAPH_CLIENT_CERT_FILE: certs.clientCert,
    MASH_SUBGRAPH_CLIENT_KEY_FILE: certs.clientKey,
  });
  const ask = async (gateway: RunningGateway) => {
    const { signDevToken, devUsers, loadDevSigningKey } = await import("@mash/gateway");
    const key = await loadDevSigningKey(gatewayData);
    const user = devUsers().find((u) => u.username === "pc.jones");
    if (!user) throw new Error("no pc.jones");
    const response = await fetch(gateway.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await signDevToken(key, user)}`,
      },
      body: JSON.stringify({ query: '{ subject(id: "S-1001") { id police { known } } }' }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: { subject?: { id: string; police: unknown } | null } | null;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  };

  it("serves every agency over HTTPS", () => {
    for (const s of subgraphs) expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it("answers through a gateway that trusts the CA and presents its certificate", async () => {
    const gateway = await gatewayWith(trusted());
    const answer = await ask(gateway);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.subject).toMatchObject({ id: "S-1001", police: {} });
    const health = await fetch(gateway.url.replace("/graphql", "/health"));
    expect(health.status).toBe(200);
  });

  it("does not start a gateway without the CA: the subgraph is named, and the certificate", async () => {
    const error = await gatewayWith({}).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /subgraph "[a-z-]+" at https:\/\/127\.0\.0\.1:\d+\/graphql did not answer: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY).*MASH_SUBGRAPH_CA_FILE/,
    );
  });

  it("names every subgraph unavailable to a gateway without the CA that runs from a file", async () => {
    const gateway = await gatewayWith({}, { supergraphFile });
    const answer = await ask(gateway);
    expect(answer.body.data?.subject ?? null).toBeNull();
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: ["subject"],
          extensions: expect.objectContaining({ code: "AGENCY_UNAVAILABLE" }),
        }),
      ]),
    );
    const health = await fetch(gateway.url.replace("/graphql", "/health"));
    expect(health.status).toBe(503);
    const body = (await health.json()) as {
      unavailable: string[];
      subgraphs: Record<string, string>;
    };
    expect(body.unavailable.sort()).toEqual(agencies.map((a) => a.name).sort());
    expect(body.subgraphs.police).toMatch(/^unreachable over TLS \([A-Z_]+\)$/);
  });

  it("refuses a client without a certificate, in the handshake", async () => {
    const error = await gatewayWith({ MASH_SUBGRAPH_CA_FILE: certs.caCert }).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toMatch(
      /subgraph "[a-z-]+" at https:.* did not answer: .*client certificate/,
    );
    // Nothing is read from one: not /health, not GraphQL.
    const caOnly = new Agent({ connect: { ca: readFileSync(certs.caCert, "utf8") } });
    const police = subgraphs.find((s) => s.name === "police") as RunningSubgraph;
    await expect(
      undiciFetch(police.url.replace("/graphql", "/health"), { dispatcher: caOnly }),
    ).rejects.toThrow();
    await caOnly.close();
  });

  it("refuses a plain http:// subgraph URL once TLS is configured", async () => {
    const transport = createSubgraphTransport(subgraphTlsFrom(trusted()));
    await expect(transport.fetch("http://127.0.0.1:9/graphql")).rejects.toBeInstanceOf(
      PlainSubgraphUrl,
    );
    await transport.close();
  });
});

describe("TLS settings", () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterAll(() => certs?.remove());

  const refusal = (parse: () => unknown) => {
    try {
      parse();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };

  it("are none when nothing is set", () => {
    expect(subgraphTlsFrom({})).toBeUndefined();
    expect(subgraphServerTlsFrom({})).toBeUndefined();
  });

  it.each([
    [{ MASH_TLS_CERT_FILE: "server" }, /^MASH_TLS_KEY_FILE: must be set with MASH_TLS_CERT_FILE$/],
    [
      { MASH_TLS_KEY_FILE: "server.key" },
      /^MASH_TLS_CERT_FILE: must be set with MASH_TLS_KEY_FILE$/,
    ],
    [
      { MASH_TLS_CLIENT_CA_FILE: "ca.crt" },
      /^MASH_TLS_CLIENT_CA_FILE: requires MASH_TLS_CERT_FILE/,
    ],
    [
      { MASH_TLS_CERT_FILE: "server", MASH_TLS_KEY_FILE: "client.key" },
      /^MASH_TLS_KEY_FILE: .*client\.key is not the key of/,
    ],
    [
      { MASH_TLS_CERT_FILE: "server.key", MASH_TLS_KEY_FILE: "server.key" },
      /^MASH_TLS_CERT_FILE: .* holds no PEM certificate$/,
    ],
    [
      { MASH_TLS_CERT_FILE: "missing", MASH_TLS_KEY_FILE: "server.key" },
      /^MASH_TLS_CERT_FILE: cannot read .*missing \(ENOENT\)$/,
    ],
  ])("name a subgraph's setting that cannot work: %o", (env, message) => {
    const files = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [
        k,
        v === "server" ? certs.serverCert : join(certs.dir, v),
      ]),
    );
    expect(refusal(() => subgraphServerTlsFrom(files))).toMatch(message);
  });

  it("name the gateway's setting that cannot work", () => {
    expect(
      refusal(() => subgraphTlsFrom({ MASH_SUBGRAPH_CLIENT_CERT_FILE: certs.clientCert })),
    ).toMatch(/^MASH_SUBGRAPH_CLIENT_KEY_FILE: must be set with MASH_SUBGRAPH_CLIENT_CERT_FILE$/);
    expect(refusal(() => subgraphTlsFrom({ MASH_SUBGRAPH_CA_FILE: certs.clientKey }))).toMatch(
      /^MASH_SUBGRAPH_CA_FILE: .* holds no PEM certificate$/,
    );
    expect(subgraphTlsFrom({ MASH_SUBGRAPH_CA_FILE: certs.caCert })).toEqual({
      ca: readFileSync(certs.caCert, "utf8"),
    });
  });
});
