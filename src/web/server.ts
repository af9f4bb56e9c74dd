import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export interface WebServer {
  port: number;
  /** Stops accepting connections; requests in hand finish first. */
  close(): Promise<void>;
}

/** Serves a Hono app on PORT with Node's HTTP server. */
export function startWebServer(app: Hono<never> | Hono<any>, port: number, hostname?: string): Promise<WebServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, ...(hostname ? { hostname } : {}) }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const hard = setTimeout(() => {
              if ("closeAllConnections" in server) server.closeAllConnections();
            }, 5000);
            server.close(() => {
              clearTimeout(hard);
              done();
            });
            if ("closeIdleConnections" in server) server.closeIdleConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
