/**
 * A local stand-in for a Lambda Function URL: an HTTP server on 127.0.0.1 that turns each request into a payload
 * format 2.0 event, invokes the handler, and answers with what it returned — as the real URL does.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { functionUrlEventFrom, FunctionUrlRequestEvent, httpAnswerFrom } from "./functionUrlEvent";

/** Function URLs refuse request payloads above 6 MB (Lambda's invocation payload quota). */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

export interface FunctionUrlServerOptions {
    /** @default a free port */
    readonly port?: number;
    /** Calls the handler; a rejection is answered 502, as a Function URL answers a failed invocation. */
    readonly invoke: (event: FunctionUrlRequestEvent) => Promise<unknown>;
    /** Told about each request once answered. */
    readonly onRequest?: (summary: {
        method: string;
        target: string;
        statusCode: number;
        ms: number;
        error?: string;
    }) => void;
}

export interface FunctionUrlServer {
    /** `http://127.0.0.1:<port>/` */
    readonly url: string;
    readonly port: number;
    /** Stops listening and closes open connections. */
    close(): Promise<void>;
}

export async function serveFunctionUrl(options: FunctionUrlServerOptions): Promise<FunctionUrlServer> {
    const server = http.createServer((request, response) => {
        const started = Date.now();
        const finish = (
            statusCode: number,
            headers: Record<string, string | string[]>,
            body: Buffer,
            error?: string,
        ): void => {
            response.writeHead(statusCode, {
                ...headers,
                "content-length": body.length,
                "x-amzn-requestid": requestId,
            });
            response.end(body);
            options.onRequest?.({
                method: request.method ?? "",
                target: request.url ?? "",
                statusCode,
                ms: Date.now() - started,
                error,
            });
        };
        const requestId = randomUUID();
        const chunks: Buffer[] = [];
        let size = 0;
        request.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
        });
        request.on("end", () => {
            if (size > MAX_REQUEST_BYTES) {
                finish(
                    413,
                    { "content-type": "application/json" },
                    Buffer.from(JSON.stringify({ Message: "Request must be smaller than 6291456 bytes" })),
                );
                return;
            }
            const event = functionUrlEventFrom(request, Buffer.concat(chunks), requestId);
            options.invoke(event).then(
                (result) => {
                    const answer = httpAnswerFrom(result);
                    finish(answer.statusCode, answer.headers, answer.body);
                },
                (error: Error) =>
                    finish(
                        502,
                        { "content-type": "application/json" },
                        Buffer.from(JSON.stringify({ Message: "Internal Server Error" })),
                        error.message,
                    ),
            );
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
            reject(
                error.code === "EADDRINUSE"
                    ? new Error(
                          `port ${options.port} on 127.0.0.1 is in use; choose another with --port, or leave --port out for a free one`,
                      )
                    : error,
            ),
        );
        server.listen({ host: "127.0.0.1", port: options.port ?? 0 }, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}/`,
        port,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}
