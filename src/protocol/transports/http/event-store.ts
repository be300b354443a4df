/** One stored SSE event: its id and the serialized message (empty for a priming event). */
export interface StoredEvent {
  id: string;
  data: string;
}

/**
 * The events of one session, kept so a client that lost a stream can resume it with
 * Last-Event-ID. Bounded by a total event count: the oldest events go first, and a resume from
 * an id that was dropped is refused rather than silently skipping messages.
 *
 * Event ids are "<stream>_<seq>", so an id names the stream it belongs to, as the spec requires
 * (a resumed stream replays only its own events).
 */
export class EventStore {
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly order: string[] = [];
  private nextSeq = 0;

  constructor(private readonly maxEvents: number) {}

  append(stream: string, data: string): StoredEvent {
    const event = { id: `${stream}_${this.nextSeq++}`, data };
    let events = this.streams.get(stream);
    if (!events) {
      events = [];
      this.streams.set(stream, events);
    }
    events.push(event);
    this.order.push(stream);
    if (this.order.length > this.maxEvents) this.evictOldest();
    return event;
  }

  private evictOldest(): void {
    const stream = this.order.shift() as string;
    const events = this.streams.get(stream);
    events?.shift();
    if (events && events.length === 0) this.streams.delete(stream);
  }

  /** The stream an event id belongs to, or undefined if the id is malformed. */
  static streamOf(eventId: string): string | undefined {
    const cut = eventId.lastIndexOf("_");
    return cut > 0 ? eventId.slice(0, cut) : undefined;
  }

  /**
   * Events of the same stream after `eventId`, or null when that id is no longer (or never was)
   * held, in which case the client must be told rather than given a stream with a gap.
   */
  after(eventId: string): StoredEvent[] | null {
    const stream = EventStore.streamOf(eventId);
    const events = stream === undefined ? undefined : this.streams.get(stream);
    if (!events) return null;
    const index = events.findIndex((e) => e.id === eventId);
    return index === -1 ? null : events.slice(index + 1);
  }
}
