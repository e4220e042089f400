import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('dispatches events at blank lines, joins data lines, keeps the last id, skips comments', () => {
    const parser = new SseParser();
    const events = parser.push(': heartbeat\n\nid: c1\nevent: next\ndata: {"a":\ndata: 1}\n\nevent: complete\ndata:\n\n');
    expect(events).toEqual([
      { event: 'next', data: '{"a":\n1}', id: 'c1' },
      { event: 'complete', data: '', id: 'c1' },
    ]);
  });

  it('reassembles events split anywhere across chunks, with LF, CRLF or CR line ends', () => {
    const text = 'id: x1\r\nevent: next\r\ndata: {"n":1}\r\n\r\nid: x2\rdata: two\r\revent: next\ndata: {"n":3}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events.map((e) => [e.event, e.data, e.id])).toEqual([
        ['next', '{"n":1}', 'x1'],
        ['message', 'two', 'x2'],
        ['next', '{"n":3}', 'x2'],
      ]);
    }
  });
});
