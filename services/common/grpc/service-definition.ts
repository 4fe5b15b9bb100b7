// Server side of the glue between protobuf-es v2 services and grpc-js. protobuf-es emits no
// grpc-js stubs, so a generated `GenService` descriptor is turned into a grpc-js
// `ServiceDefinition` here, with toBinary/fromBinary as the (de)serializers.
import * as grpc from '@grpc/grpc-js';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, DescMethod, MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { internalServerCredentials } from '../tls/grpc-tls.ts';

export type MethodInput<M extends Pick<DescMethod, 'input'>> = MessageShape<M['input']>;
export type MethodOutput<M extends Pick<DescMethod, 'output'>> = MessageShape<M['output']>;

/** The grpc-js handler type for one method, chosen by its streaming kind. */
export type MethodHandler<M extends GenServiceMethods[string]> =
  M['methodKind'] extends 'unary' ? grpc.handleUnaryCall<MethodInput<M>, MethodOutput<M>>
  : M['methodKind'] extends 'client_streaming' ? grpc.handleClientStreamingCall<MethodInput<M>, MethodOutput<M>>
  : M['methodKind'] extends 'server_streaming' ? grpc.handleServerStreamingCall<MethodInput<M>, MethodOutput<M>>
  : grpc.handleBidiStreamingCall<MethodInput<M>, MethodOutput<M>>;

/** One handler per method, keyed by the method's ECMAScript name (`put`, `stream`, …). */
export type ServiceHandlers<R extends GenServiceMethods> = { [K in keyof R]: MethodHandler<R[K]> };

/** The handlers of a generated service value: `HandlersOf<typeof KvService>`. */
export type HandlersOf<S> = S extends { method: infer M extends GenServiceMethods } ? ServiceHandlers<M> : never;

/** Wraps protobuf bytes as a Buffer without copying (grpc-js insists on Buffer). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function serializerFor<D extends DescMessage>(schema: D): (msg: MessageShape<D>) => Buffer {
  return (msg) => asBuffer(toBinary(schema, msg));
}

export function deserializerFor<D extends DescMessage>(schema: D): (buf: Buffer) => MessageShape<D> {
  return (buf) => fromBinary(schema, buf);
}

export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * Hand-written wire codecs for a hot method, replacing protobuf-es reflection for that method
 * only (they must produce/accept the same bytes and message shapes).
 */
export interface MethodCodecOverride {
  requestDeserialize?: (buf: Buffer) => unknown;
  responseSerialize?: (msg: unknown) => Buffer;
}

export type CodecOverrides<R extends GenServiceMethods> = Partial<Record<keyof R, MethodCodecOverride>>;

/** The grpc-js definition of a generated service, keyed by method localName. */
export function serviceDefinition<R extends GenServiceMethods>(
  service: GenService<R>,
  overrides: CodecOverrides<R> = {},
): grpc.ServiceDefinition<grpc.UntypedServiceImplementation> {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    const override: MethodCodecOverride = overrides[method.localName as keyof R] ?? {};
    def[method.localName] = {
      path: methodPath(method),
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: serializerFor(method.input) as (v: unknown) => Buffer,
      requestDeserialize: override.requestDeserialize ?? deserializerFor(method.input),
      responseSerialize: override.responseSerialize ?? (serializerFor(method.output) as (v: unknown) => Buffer),
      responseDeserialize: deserializerFor(method.output),
      originalName: method.localName,
    };
  }
  return def as grpc.ServiceDefinition<grpc.UntypedServiceImplementation>;
}

/** Registers typed handlers for a generated service on a grpc-js server. */
export function addService<R extends GenServiceMethods>(
  server: grpc.Server,
  service: GenService<R>,
  handlers: ServiceHandlers<R>,
  overrides: CodecOverrides<R> = {},
): void {
  server.addService(serviceDefinition(service, overrides), handlers as unknown as grpc.UntypedServiceImplementation);
}

/** Binds `address` (host:port, port 0 for any free port) without TLS; resolves to the bound port. */
export function bindInsecure(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(err);
      else resolve(port);
    });
  });
}

/**
 * Binds an internal server: mutual TLS with this process's cluster certificate when one is
 * installed (tls/grpc-tls.ts useInternalTls; clients without a certificate of the cluster CA are
 * refused in the handshake), insecure otherwise. Resolves to the bound port.
 */
export function bindInternal(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, internalServerCredentials(), (err, port) => {
      if (err) reject(err);
      else resolve(port);
    });
  });
}

/** Graceful shutdown bounded by `graceMs`, after which open calls are cancelled. */
export function shutdownServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
