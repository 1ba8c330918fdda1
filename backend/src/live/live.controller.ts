// GET /api/live: server-sent events for the wall screen and other live views.
// `snapshot` when new data or a new snapshot is ready, `heartbeat` every 15 s
// with the server's time and today (so a wall rolls over at midnight by the
// server's clock). One shared subscription to DataEvents and one timer serve
// every client; each client's part is torn down when it disconnects.
import { Controller, Header, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { concat, defer, interval, map, merge, Observable, of, share } from 'rxjs';
import { AggregatesAccess } from '../auth/access.decorator';
import { DataEvents } from '../common/data-events';
import { todayShanghai } from '../metrics/metrics.service';
import type { LiveHeartbeat, LiveSnapshotEvent } from '../screen/screen.types';

export const HEARTBEAT_MS = 15_000;

export function heartbeat(now = new Date()): MessageEvent {
  const data: LiveHeartbeat = { serverTime: now.toISOString(), today: todayShanghai(now) };
  return { type: 'heartbeat', data };
}

@ApiTags('live')
@Controller('api')
// Events carry no numbers, only "something new"; still, only callers who may read aggregates listen.
@AggregatesAccess()
export class LiveController {
  private readonly shared$: Observable<MessageEvent>;

  constructor(events: DataEvents) {
    const data$ = new Observable<MessageEvent>((sub) =>
      events.subscribe((e) => {
        if (e.type !== 'snapshot-ready' && e.type !== 'data-loaded') return;
        const data: LiveSnapshotEvent = e.type === 'snapshot-ready'
          ? { type: e.type, asOf: e.asOf, computedAt: e.computedAt, serverTime: new Date().toISOString() }
          : { type: e.type, serverTime: new Date().toISOString() };
        sub.next({ type: 'snapshot', data });
      }),
    );
    const beat$ = interval(HEARTBEAT_MS).pipe(map(() => heartbeat()));
    // share(): subscribed to DataEvents and the timer only while at least one client listens.
    this.shared$ = merge(data$, beat$).pipe(share());
  }

  @Sse('live')
  // Proxies (nginx) must not buffer the stream.
  @Header('X-Accel-Buffering', 'no')
  @ApiOperation({ summary: 'Server-sent events: `snapshot` {type, asOf?, computedAt?, serverTime} on new data; `heartbeat` {serverTime, today} every 15 s' })
  @ApiOkResponse({ description: 'text/event-stream' })
  live(): Observable<MessageEvent> {
    // A heartbeat right away: the client learns the server's time and that it is connected.
    return concat(defer(() => of(heartbeat())), this.shared$);
  }
}
