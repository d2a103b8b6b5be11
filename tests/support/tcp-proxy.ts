import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP relay to a real server (PostgreSQL), which a test can take down and bring back: the way to
 * make the database unreachable for one process without stopping the machine's PostgreSQL.
 *  - `refuse()`: closes the listener and every relayed connection (like a stopped server);
 *  - `blackhole()`: keeps accepting but relays nothing (like a hung server or a dropped route);
 *  - `restore()`: relays again on the same port.
 */
export interface TcpProxy {
  port: number;
  refuse(): Promise<void>;
  blackhole(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: "relay" | "blackhole" = "relay";
  let server: Server | null = null;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        sockets.add(client);
        client.on("close", () => sockets.delete(client));
        client.on("error", () => client.destroy());
        if (mode === "blackhole") return;
        const upstream = connect(targetPort, targetHost);
        sockets.add(upstream);
        upstream.on("close", () => {
          sockets.delete(upstream);
          client.destroy();
        });
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const stop = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    server = null;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    async refuse() {
      await stop();
    },
    async blackhole() {
      await stop();
      mode = "blackhole";
      await listen();
    },
    async restore() {
      await stop();
      mode = "relay";
      await listen();
    },
    close: stop,
  };
}
