import { connect, type Socket } from "node:net";

/** What a raw connection saw before the server closed it. */
export interface ClosedConnection {
  /** Everything the server sent. */
  received: string;
  /** Milliseconds from the connection to its close. */
  openForMs: number;
}

/**
 * Opens a TCP connection to 127.0.0.1:`port`, lets `behave` drive it (send bytes, trickle them), and
 * resolves when the server closes it; rejects if the server keeps it open past `giveUpAfterMs`.
 */
export function openRawConnection(
  port: number,
  behave: (socket: Socket) => void,
  giveUpAfterMs: number,
): Promise<ClosedConnection> {
  return new Promise((resolve, reject) => {
    const openedAt = performance.now();
    const socket = connect(port, "127.0.0.1", () => behave(socket));
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpAfterMs} ms; received: ${received.slice(0, 200)}`));
    }, giveUpAfterMs);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ received, openForMs: performance.now() - openedAt });
    });
  });
}

/** Writes `text` once, then `trickle` every `everyMs` while the connection stays writable. */
export function sendThenTrickle(text: string, trickle: string, everyMs: number): (socket: Socket) => void {
  return (socket) => {
    socket.write(text);
    const timer = setInterval(() => {
      if (socket.writable) socket.write(trickle);
    }, everyMs);
    socket.once("close", () => clearInterval(timer));
  };
}
