// Client side of the protobuf-es ↔ grpc-js glue: a typed client for a generated service,
// with promise-returning unary calls, raw grpc-js writable streams for client streaming and
// raw grpc-js readable streams for server streaming.
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { DescMethod, MessageInitShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { BASE_CLIENT_OPTIONS } from './channel-options.ts';
import { internalChannelCredentials, internalChannelOptions } from '../tls/grpc-tls.ts';
import {
  deserializerFor, methodPath, serializerFor, type MethodInput, type MethodOutput,
} from './service-definition.ts';

export interface CallOptions {
  /** Absolute deadline is derived from this many milliseconds from now. */
  timeoutMs?: number;
  metadata?: grpc.Metadata;
  /** Cancels a unary call (it fails with CANCELLED). */
  signal?: AbortSignal;
}

type Init<M extends Pick<DescMethod, 'input'>> = MessageInitShape<M['input']>;

export type UnaryMethod<M extends GenServiceMethods[string]> =
  (request: Init<M>, options?: CallOptions) => Promise<MethodOutput<M>>;

export type ClientStreamingMethod<M extends GenServiceMethods[string]> = (
  callback: (err: grpc.ServiceError | null, response?: MethodOutput<M>) => void,
  options?: CallOptions,
) => grpc.ClientWritableStream<MethodInput<M>>;

export type ServerStreamingMethod<M extends GenServiceMethods[string]> = (
  request: Init<M>,
  options?: CallOptions,
) => grpc.ClientReadableStream<MethodOutput<M>>;

export type ClientMethod<M extends GenServiceMethods[string]> =
  M['methodKind'] extends 'unary' ? UnaryMethod<M>
  : M['methodKind'] extends 'client_streaming' ? ClientStreamingMethod<M>
  : M['methodKind'] extends 'server_streaming' ? ServerStreamingMethod<M>
  : never;

export type ServiceClient<R extends GenServiceMethods> = { [K in keyof R]: ClientMethod<R[K]> } & {
  /** The underlying grpc-js client (channel state, waitForReady). */
  readonly grpcClient: grpc.Client;
  close(): void;
};

/** The client type of a generated service value: `ClientOf<typeof KvService>`. */
export type ClientOf<S> = S extends { method: infer M extends GenServiceMethods } ? ServiceClient<M> : never;

export interface ClientConfig {
  credentials?: grpc.ChannelCredentials;
  channelOptions?: grpc.ChannelOptions;
}

function callOptions(o: CallOptions | undefined): grpc.CallOptions {
  return o?.timeoutMs !== undefined ? { deadline: Date.now() + o.timeoutMs } : {};
}

/**
 * A typed client for `service` at `target` (host:port or any grpc-js target URI). Methods keep
 * their ECMAScript names; unary methods take a message or an init object.
 */
export function createClient<R extends GenServiceMethods>(
  service: GenService<R>,
  target: string,
  config: ClientConfig = {},
): ServiceClient<R> {
  // No credentials given: the process's internal ones (mTLS with its cluster certificate, or insecure).
  const internal = config.credentials === undefined;
  const client = new grpc.Client(
    target, config.credentials ?? internalChannelCredentials(),
    { ...BASE_CLIENT_OPTIONS, ...(internal ? internalChannelOptions() : {}), ...config.channelOptions },
  );
  const out: Record<string, unknown> = {
    grpcClient: client,
    close: () => client.close(),
  };
  for (const method of service.methods) {
    const path = methodPath(method);
    const serialize = serializerFor(method.input);
    const deserialize = deserializerFor(method.output);
    if (method.methodKind === 'unary') {
      out[method.localName] = (request: Init<DescMethod>, options?: CallOptions) =>
        new Promise((resolve, reject) => {
          const signal = options?.signal;
          const cancel = () => call.cancel();
          const call = client.makeUnaryRequest(
            path, serialize, deserialize, create(method.input, request),
            options?.metadata ?? new grpc.Metadata(), callOptions(options),
            (err, res) => {
              signal?.removeEventListener('abort', cancel);
              if (err) reject(err);
              else resolve(res);
            },
          );
          if (signal?.aborted) cancel();
          else signal?.addEventListener('abort', cancel, { once: true });
        });
    } else if (method.methodKind === 'client_streaming') {
      out[method.localName] = (
        callback: (err: grpc.ServiceError | null, res?: unknown) => void, options?: CallOptions,
      ) => client.makeClientStreamRequest(
        path, serialize, deserialize, options?.metadata ?? new grpc.Metadata(),
        callOptions(options), callback,
      );
    } else if (method.methodKind === 'server_streaming') {
      out[method.localName] = (request: Init<DescMethod>, options?: CallOptions) =>
        client.makeServerStreamRequest(
          path, serialize, deserialize, create(method.input, request),
          options?.metadata ?? new grpc.Metadata(), callOptions(options),
        );
    }
  }
  return out as ServiceClient<R>;
}

/** True when `err` is a gRPC status error (as opposed to a local bug). */
export function isServiceError(err: unknown): err is grpc.ServiceError {
  return typeof err === 'object' && err !== null && 'code' in err && 'metadata' in err;
}
