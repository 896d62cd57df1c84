import { Metadata, Server, ServerCredentials, status, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import codePb from '@eventstore/db-client/generated/code_pb.js';
import featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import featuresPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import { EsdbProtocolTestLog, type LogRecord, type ProposedEvent, type TestExpectedRevision } from './esdb-protocol-test-log.js';

type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
type AppendResp = InstanceType<typeof streamsPb.AppendResp>;
type BatchAppendReq = InstanceType<typeof streamsPb.BatchAppendReq>;
type BatchAppendResp = InstanceType<typeof streamsPb.BatchAppendResp>;
type TombstoneReq = InstanceType<typeof streamsPb.TombstoneReq>;
type TombstoneResp = InstanceType<typeof streamsPb.TombstoneResp>;
type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

/** EventStoreDB's default search window for filtered reads, times the client's multiplier. */
const DEFAULT_FILTER_WINDOW = 32;
const SERVER_VERSION = '0.0.0-esdb-protocol-test-server';

export interface EsdbProtocolTestServerOptions {
  /** 0 picks a free port; a fixed one lets a test stop and start the server at the same address. */
  readonly port?: number;
  /** The log to serve; a restarted server passes the old one so nothing is lost. */
  readonly log?: EsdbProtocolTestLog;
}

/**
 * A gRPC server on loopback that speaks the part of EventStoreDB's client protocol that the
 * adapter uses, built from the service definitions `@eventstore/db-client` ships. It is a TEST
 * DOUBLE, not a store (see esdb-protocol-test-log.ts for what it does not do): it exists so the
 * real client and the real adapter run on every CI, and so tests can inject faults (dropped
 * subscriptions, a slow server, a server that goes away and comes back).
 *
 * Implemented: Streams.Read (stream forwards/backwards, $all forwards/backwards, catch-up then
 * live $all subscriptions with stream-name or event-type filters and checkpoints), Streams.Append,
 * Streams.BatchAppend, Streams.Tombstone (hard delete: reading, appending to or tombstoning the
 * stream again fails with EventStoreDB's `stream-deleted`), ServerFeatures.GetSupportedMethods.
 * Not implemented (UNIMPLEMENTED): stream subscriptions, Delete (soft delete), persistent subscriptions, projections, users,
 * gossip (so no `esdb+discover://`), TLS and authentication, structured UUIDs, link resolution.
 */
export class EsdbProtocolTestServer {
  private readonly subscriptions = new Set<ReadCall>();
  private delayMs = 0;
  /** Requests served, by method: what a test can assert the client actually used. */
  readonly calls = { read: 0, subscribe: 0, append: 0, batchAppend: 0, tombstone: 0, features: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly log: EsdbProtocolTestLog,
  ) {}

  static async start(options: EsdbProtocolTestServerOptions = {}): Promise<EsdbProtocolTestServer> {
    const server = new Server();
    const log = options.log ?? new EsdbProtocolTestLog();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${String(options.port ?? 0)}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const instance = new EsdbProtocolTestServer(server, port, log);
    server.addService(streamsGrpc.StreamsService, {
      read: (call: ReadCall) => void instance.read(call),
      append: (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) =>
        instance.append(call, callback),
      batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => instance.batchAppend(call),
      delete: unimplemented,
      tombstone: (call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>) => instance.tombstone(call, callback),
    });
    server.addService(featuresGrpc.ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: sendUnaryData<InstanceType<typeof featuresPb.SupportedMethods>>) => {
        instance.calls.features += 1;
        callback(null, supportedMethods());
      },
    });
    return instance;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${String(this.port)}?tls=false`;
  }

  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  /** Every later response waits this long first (a slow server or network). */
  setResponseDelay(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Ends every open subscription: `unavailable` as a dropped connection does (an error status),
   * `end` as a server that closes the stream cleanly. Returns how many were dropped.
   */
  dropSubscriptions(how: 'unavailable' | 'end' = 'unavailable'): number {
    const dropped = [...this.subscriptions];
    this.subscriptions.clear();
    for (const call of dropped) {
      if (how === 'end') call.end();
      else call.emit('error', { code: status.UNAVAILABLE, details: 'subscription dropped by the protocol test server' });
    }
    return dropped.length;
  }

  /** Stops at once, cutting every call, as a server that dies does. The log stays in memory. */
  async stop(): Promise<void> {
    this.dropSubscriptions('unavailable');
    this.server.forceShutdown();
    await Promise.resolve();
  }

  private async delay(): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }

  private async read(call: ReadCall): Promise<void> {
    const options = call.request.getOptions();
    if (!options) return fail(call, status.INVALID_ARGUMENT, 'options are required');
    if (options.getUuidOption()?.hasStructured()) return fail(call, status.UNIMPLEMENTED, 'structured UUIDs are not implemented');
    await this.delay();
    try {
      if (options.hasSubscription()) {
        if (!options.hasAll()) return fail(call, status.UNIMPLEMENTED, 'stream subscriptions are not implemented');
        this.calls.subscribe += 1;
        await this.subscribeToAll(call, options);
        return;
      }
      this.calls.read += 1;
      const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
      const count = BigInt(options.getCount() || '0');
      const deleted = options.hasStream() ? streamName(options.getStream()!.getStreamIdentifier()) : undefined;
      if (deleted !== undefined && this.log.isTombstoned(deleted)) return fail(call, status.FAILED_PRECONDITION, streamDeletedDetails(deleted), streamDeletedMetadata(deleted));
      if (options.hasStream()) await this.readStream(call, options.getStream()!, backwards, count);
      else await this.readAll(call, options, backwards, count);
      call.end();
    } catch (error) {
      fail(call, status.INTERNAL, error instanceof Error ? error.message : String(error));
    }
  }

  private async readStream(
    call: ReadCall,
    options: InstanceType<typeof streamsPb.ReadReq.Options.StreamOptions>,
    backwards: boolean,
    count: bigint,
  ): Promise<void> {
    const identifier = options.getStreamIdentifier();
    const stream = Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
    const events = this.log.streamEvents(stream);
    if (!events || events.length === 0) {
      const notFound = new streamsPb.ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(identifier);
      await write(call, new streamsPb.ReadResp().setStreamNotFound(notFound));
      return;
    }
    const last = events.length - 1;
    let index: number;
    if (options.hasStart()) index = backwards ? -1 : 0;
    else if (options.hasEnd()) index = backwards ? last : events.length;
    else index = Math.min(Number(BigInt(options.getRevision())), backwards ? last : events.length);
    for (let sent = 0n; sent < count && index >= 0 && index <= last; sent += 1n) {
      await write(call, eventResponse(events[index]!));
      index += backwards ? -1 : 1;
    }
  }

  private async readAll(
    call: ReadCall,
    options: InstanceType<typeof streamsPb.ReadReq.Options>,
    backwards: boolean,
    count: bigint,
  ): Promise<void> {
    const records = this.log.records;
    const all = options.getAll();
    const accepts = filterOf(options);
    let index: number;
    if (all?.hasPosition()) {
      const at = this.log.indexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition()));
      index = backwards ? at - 1 : at;
    } else if (all?.hasEnd()) index = backwards ? records.length - 1 : records.length;
    else index = backwards ? -1 : 0;
    for (let sent = 0n; sent < count && index >= 0 && index < records.length; index += backwards ? -1 : 1) {
      const record = records[index]!;
      if (!accepts(record)) continue;
      await write(call, eventResponse(record));
      sent += 1n;
    }
  }

  /**
   * Catch-up, then live: confirmation, the stored events after the position (exclusive, as
   * `FromAll.After`), a checkpoint every window of considered events when filtered, CaughtUp,
   * then each new event as it is appended. Ends only when the client cancels or a fault drops it.
   */
  private async subscribeToAll(call: ReadCall, options: InstanceType<typeof streamsPb.ReadReq.Options>): Promise<void> {
    const all = options.getAll();
    const records = this.log.records;
    let index: number;
    if (all?.hasPosition()) {
      const after = BigInt(all.getPosition()!.getCommitPosition());
      index = this.log.indexAtOrAfter(after);
      if (records[index]?.logPosition === after) index += 1;
    } else index = all?.hasEnd() ? records.length : 0;

    const filter = options.getFilter();
    const accepts = filterOf(options);
    const window = filter ? (filter.hasMax() ? filter.getMax() : DEFAULT_FILTER_WINDOW) * Math.max(1, filter.getCheckpointintervalmultiplier()) : 0;
    let consideredSinceCheckpoint = 0;
    let open = true;
    let wake: (() => void) | undefined;
    const unsubscribe = this.log.onAppend(() => wake?.());
    const closed = (): void => {
      open = false;
      wake?.();
    };
    call.on('cancelled', closed);
    call.on('close', closed);
    call.on('finish', closed);
    this.subscriptions.add(call);
    try {
      const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(crypto.randomUUID());
      await write(call, new streamsPb.ReadResp().setConfirmation(confirmation));
      let caughtUp = false;
      while (open && this.subscriptions.has(call)) {
        while (open && index < records.length) {
          const record = records[index]!;
          index += 1;
          if (accepts(record)) await write(call, eventResponse(record));
          consideredSinceCheckpoint += 1;
          if (window > 0 && consideredSinceCheckpoint >= window) {
            consideredSinceCheckpoint = 0;
            await write(call, checkpointResponse(record));
          }
        }
        if (!open) break;
        if (!caughtUp) {
          caughtUp = true;
          const last = records[index - 1];
          if (window > 0 && last && consideredSinceCheckpoint > 0) await write(call, checkpointResponse(last));
          await write(call, new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()));
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (!open || index < records.length) resolve();
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      this.subscriptions.delete(call);
    }
  }

  private append(call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void {
    this.calls.append += 1;
    let header: InstanceType<typeof streamsPb.AppendReq.Options> | undefined;
    const events: ProposedEvent[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) header = request.getOptions();
      const message = request.getProposedMessage();
      if (message) events.push(proposed(message));
    });
    call.on('end', () => {
      void (async () => {
        await this.delay();
        if (!header) return callback({ code: status.INVALID_ARGUMENT, details: 'the first message must carry options' });
        const stream = streamName(header.getStreamIdentifier());
        const expected = expectedOfAppend(header);
        const outcome = this.log.append(stream, expected, events);
        if (outcome.kind === 'streamDeleted') {
          return callback({ code: status.FAILED_PRECONDITION, details: streamDeletedDetails(stream), metadata: streamDeletedMetadata(stream) });
        }
        const response = new streamsPb.AppendResp();
        if (outcome.kind === 'success') {
          const position = new streamsPb.AppendResp.Position()
            .setCommitPosition(outcome.logPosition.toString())
            .setPreparePosition(outcome.logPosition.toString());
          response.setSuccess(
            new streamsPb.AppendResp.Success().setCurrentRevision(outcome.currentRevision.toString()).setPosition(position),
          );
        } else {
          const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
          if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new sharedPb.Empty());
          else wrong.setCurrentRevision(outcome.currentRevision.toString());
          if (expected === 'any') wrong.setExpectedAny(new sharedPb.Empty());
          else if (expected === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
          else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
          else wrong.setExpectedRevision(expected.toString());
          response.setWrongExpectedVersion(wrong);
        }
        callback(null, response);
      })();
    });
  }

  /**
   * A hard delete, answered as EventStoreDB does: the position of the tombstone; a wrong
   * expectation is `wrong-expected-version` (with the expected and actual versions in the
   * trailers); a stream already tombstoned is `stream-deleted`.
   */
  private tombstone(call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>): void {
    this.calls.tombstone += 1;
    void (async () => {
      await this.delay();
      const options = call.request.getOptions();
      if (!options) return callback({ code: status.INVALID_ARGUMENT, details: 'options are required' });
      const stream = streamName(options.getStreamIdentifier());
      const expected = expectedOfTombstone(options);
      const outcome = this.log.tombstone(stream, expected);
      if (outcome.kind === 'streamDeleted') {
        return callback({ code: status.FAILED_PRECONDITION, details: streamDeletedDetails(stream), metadata: streamDeletedMetadata(stream) });
      }
      if (outcome.kind === 'wrongExpectedVersion') {
        const metadata = new Metadata();
        metadata.set('exception', 'wrong-expected-version');
        metadata.set('stream-name', stream);
        metadata.set('expected-version', esdbExpectedVersion(expected));
        metadata.set('actual-version', outcome.currentRevision?.toString() ?? '');
        return callback({ code: status.FAILED_PRECONDITION, details: `Expected version mismatch on ${stream}`, metadata });
      }
      const position = new streamsPb.TombstoneResp.Position()
        .setCommitPosition(outcome.logPosition.toString())
        .setPreparePosition(outcome.logPosition.toString());
      callback(null, new streamsPb.TombstoneResp().setPosition(position));
    })();
  }

  /**
   * One bidirectional stream carries many appends, each named by a correlation id; a request's
   * events may come in several messages, the last marked final. Each append is answered once.
   */
  private batchAppend(call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    this.calls.batchAppend += 1;
    const pending = new Map<string, { options: InstanceType<typeof streamsPb.BatchAppendReq.Options>; events: ProposedEvent[] }>();
    call.on('data', (request: BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = correlation?.getString() ?? '';
      const options = request.getOptions();
      const entry = pending.get(key) ?? (options ? { options, events: [] } : undefined);
      if (!entry) return;
      pending.set(key, entry);
      for (const message of request.getProposedMessagesList()) entry.events.push(proposed(message));
      if (!request.getIsFinal()) return;
      pending.delete(key);
      void (async () => {
        await this.delay();
        call.write(this.batchResult(correlation, entry.options, entry.events));
      })();
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  private batchResult(
    correlation: InstanceType<typeof sharedPb.UUID> | undefined,
    options: InstanceType<typeof streamsPb.BatchAppendReq.Options>,
    events: readonly ProposedEvent[],
  ): BatchAppendResp {
    const identifier = options.getStreamIdentifier();
    const expected = expectedOfBatch(options);
    const response = new streamsPb.BatchAppendResp().setCorrelationId(correlation).setStreamIdentifier(identifier);
    if (expected === 'any') response.setAny(new emptyPb.Empty());
    else if (expected === 'no_stream') response.setNoStream(new emptyPb.Empty());
    else if (expected === 'stream_exists') response.setStreamExists(new emptyPb.Empty());
    else response.setStreamPosition(expected.toString());

    const deadline = options.getDeadline();
    if (deadline && deadline.toDate().getTime() < Date.now()) {
      return response.setError(statusOf(codePb.Code.DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new sharedPb.Timeout().serializeBinary()));
    }
    const outcome = this.log.append(streamName(identifier), expected, events);
    if (outcome.kind === 'streamDeleted') {
      const deleted = new sharedPb.StreamDeleted().setStreamIdentifier(identifier);
      return response.setError(statusOf(codePb.Code.FAILED_PRECONDITION, 'StreamDeleted', 'event_store.client.StreamDeleted', deleted.serializeBinary()));
    }
    if (outcome.kind === 'success') {
      const position = new sharedPb.AllStreamPosition()
        .setCommitPosition(outcome.logPosition.toString())
        .setPreparePosition(outcome.logPosition.toString());
      return response.setSuccess(
        new streamsPb.BatchAppendResp.Success().setCurrentRevision(outcome.currentRevision.toString()).setPosition(position),
      );
    }
    const details = new sharedPb.WrongExpectedVersion();
    if (outcome.currentRevision === undefined) details.setCurrentNoStream(new emptyPb.Empty());
    else details.setCurrentStreamRevision(outcome.currentRevision.toString());
    if (expected === 'any') details.setExpectedAny(new emptyPb.Empty());
    else if (expected === 'no_stream') details.setExpectedNoStream(new emptyPb.Empty());
    else if (expected === 'stream_exists') details.setExpectedStreamExists(new emptyPb.Empty());
    else details.setExpectedStreamPosition(expected.toString());
    return response.setError(
      statusOf(codePb.Code.FAILED_PRECONDITION, 'WrongExpectedVersion', 'event_store.client.WrongExpectedVersion', details.serializeBinary()),
    );
  }
}

/** Ends a call with an error status (grpc-js: an `error` event on a server stream sends it), and trailers. */
const fail = (call: ReadCall, code: status, details: string, metadata?: Metadata): void => {
  call.emit('error', { code, details, ...(metadata ? { metadata } : {}) });
};

const streamDeletedDetails = (stream: string): string => `Event stream '${stream}' is deleted.`;

/** The trailers EventStoreDB sends with `stream-deleted` (the client reads the exception and the name). */
const streamDeletedMetadata = (stream: string): Metadata => {
  const metadata = new Metadata();
  metadata.set('exception', 'stream-deleted');
  metadata.set('stream-name', stream);
  return metadata;
};

/** EventStoreDB's numbers for the expectations (ExpectedVersion: Any -2, NoStream -1, StreamExists -4). */
const esdbExpectedVersion = (expected: TestExpectedRevision): string => {
  if (expected === 'any') return '-2';
  if (expected === 'no_stream') return '-1';
  if (expected === 'stream_exists') return '-4';
  return expected.toString();
};

const unimplemented = (_call: unknown, callback: sendUnaryData<never>): void =>
  callback({ code: status.UNIMPLEMENTED, details: 'not implemented by the protocol test server' });

const statusOf = (code: number, message: string, typeName: string, serialized: Uint8Array) => {
  const any = new anyPb.Any();
  any.pack(serialized, typeName);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(any);
};

const supportedMethods = () => {
  const method = (service: string, name: string, features: string[] = []) =>
    new featuresPb.SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  return new featuresPb.SupportedMethods()
    .setEventStoreServerVersion(SERVER_VERSION)
    .setMethodsList([
      method('event_store.client.streams.streams', 'read'),
      method('event_store.client.streams.streams', 'append'),
      method('event_store.client.streams.streams', 'batchappend'),
      method('event_store.client.streams.streams', 'tombstone'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ]);
};

/** Writes with the stream's backpressure: waits for `drain` when the client reads slowly. */
const write = async (call: ReadCall, response: ReadResp): Promise<void> => {
  if (call.destroyed || call.writableEnded) return;
  if (!call.write(response)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        call.off('drain', done);
        call.off('close', done);
        resolve();
      };
      call.on('drain', done);
      call.on('close', done);
    });
  }
};

const streamName = (identifier: InstanceType<typeof sharedPb.StreamIdentifier> | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

const proposed = (
  message: InstanceType<typeof streamsPb.AppendReq.ProposedMessage> | InstanceType<typeof streamsPb.BatchAppendReq.ProposedMessage>,
): ProposedEvent => {
  const metadata = message.getMetadataMap();
  return {
    id: message.getId()?.getString() ?? crypto.randomUUID(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
};

const expectedOfAppend = (options: InstanceType<typeof streamsPb.AppendReq.Options>): TestExpectedRevision => {
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasRevision()) return BigInt(options.getRevision());
  return 'any';
};

const expectedOfTombstone = (options: InstanceType<typeof streamsPb.TombstoneReq.Options>): TestExpectedRevision => {
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasRevision()) return BigInt(options.getRevision());
  return 'any';
};

const expectedOfBatch = (options: InstanceType<typeof streamsPb.BatchAppendReq.Options>): TestExpectedRevision => {
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  return 'any';
};

const eventResponse = (record: LogRecord): ReadResp => {
  const event = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(new sharedPb.UUID().setString(record.id))
    .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(record.stream, 'utf8')))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.logPosition.toString())
    .setPreparePosition(record.logPosition.toString())
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  event
    .getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', record.createdTicks.toString());
  const read = new streamsPb.ReadResp.ReadEvent().setEvent(event).setCommitPosition(record.logPosition.toString());
  return new streamsPb.ReadResp().setEvent(read);
};

const checkpointResponse = (record: LogRecord): ReadResp =>
  new streamsPb.ReadResp().setCheckpoint(
    new streamsPb.ReadResp.Checkpoint()
      .setCommitPosition(record.logPosition.toString())
      .setPreparePosition(record.logPosition.toString()),
  );

/** The read's filter: stream-name or event-type, by regular expression or by prefixes. */
const filterOf = (options: InstanceType<typeof streamsPb.ReadReq.Options>): ((record: LogRecord) => boolean) => {
  const filter = options.getFilter();
  if (!filter) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) return () => true;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression.getPrefixList();
  return (record) => {
    const subject = onStream ? record.stream : record.type;
    if (regex) return regex.test(subject);
    return prefixes.some((prefix) => subject.startsWith(prefix));
  };
};
