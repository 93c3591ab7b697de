/**
 * Every error the service can answer, in the API's terms: INOCR codes for what is wrong with a
 * card or its upload, service codes for the rest. fastify's and Node's own answers (a bad URL,
 * headers too large, a request that took too long, a method HTTP does not know) come out in the
 * same `{ code, message }` shape instead of theirs.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INOCR, InocrError } from '../errors.ts';
import { AbortedError } from './queue.ts';
import { ApiError } from './responses.ts';

/** fastify's own errors (content types, framework limits) and ours, as one ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InocrError) return ApiError.inocr(error.code, error.message);
  if (error instanceof AbortedError) return new ApiError('TIMEOUT', 'The request ended before the card was read.', 503, 1);
  const code = (error as { code?: string }).code ?? '';
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return ApiError.inocr('INOCR015', 'The body is neither multipart/form-data nor JSON: send the images as multipart/form-data or as base64 in a JSON body.');
  }
  if (status >= 400 && status < 500) return ApiError.inocr('INOCR015', `The request could not be processed (${(error as Error).message}).`);
  return ApiError.inocr('INOCR001');
}

/** An internal error for the log: its class, code and message (no request data is in them). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { type: error.name, code: (error as { code?: unknown }).code, message: error.message, stack: error.stack };
}

/** What Node's HTTP parser refuses before fastify sees a request (its 'clientError' event). */
function clientErrorAnswer(err: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'TIMEOUT', message: 'The request was not received in time.' };
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request headers are larger than this server accepts.' };
  if (err.code === 'HPE_INVALID_METHOD') return { status: 400, code: 'BAD_REQUEST', message: `Not an HTTP method this server knows. The API is POST.` };
  return { status: 400, code: 'BAD_REQUEST', message: 'The request is not valid HTTP.' };
}

/** fastify's `clientErrorHandler`: the answer written on the socket, which is then closed. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const a = clientErrorAnswer(err);
  const body = JSON.stringify({ code: a.code, message: a.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${a.status} ${http.STATUS_CODES[a.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** fastify's `frameworkErrors`: a URL that cannot be decoded, and the like, before routing. */
export function frameworkErrors(error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL could not be decoded (a bad % escape).' : `The request could not be routed (${error.code ?? error.message}).`;
  reply.code(400).header('connection', 'close').send({ code: 'BAD_REQUEST', message });
}

/** The INOCR code of a card the reader failed, as an answer. */
export function cardError(code: string, message: string): ApiError {
  return code in INOCR ? ApiError.inocr(code as keyof typeof INOCR, message) : ApiError.inocr('INOCR001', message);
}
