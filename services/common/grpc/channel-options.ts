// Channel options every zonestore gRPC server and client starts from.
//
// grpc-js keeps channelz bookkeeping (per-call counters, child references) unless told not
// to; nothing of ours reads channelz, and it is per-call work on every unary RPC (a rough
// echo-server comparison suggested about a quarter of the server's CPU per call).
//
// Caveat (grpc-js 1.14): with channelz off, `Server.forceShutdown()` no longer destroys open
// HTTP/2 sessions (it only walks the channelz session map), so a peer's long-lived stream
// into a server that was stopped in-process stays connected to nothing. Servers that hold
// long-lived inbound streams and are stopped in-process (the Raft transport) keep channelz
// on; unary-heavy servers use these options.
import type { ChannelOptions } from '@grpc/grpc-js';

export const BASE_SERVER_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.enable_channelz': 0,
});

export const BASE_CLIENT_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.enable_channelz': 0,
});
