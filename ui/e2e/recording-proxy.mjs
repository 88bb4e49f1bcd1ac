// A loopback proxy in front of a real server that keeps what arrived on the wire: the
// method, path, headers and, for multipart bodies, each text field. The journey reads
// it to see what the window's settings made Folio send (AI Hub's organisation and
// workspace travel only in the create form, which `folio serve` need not echo).
import { createServer, request } from 'node:http';

/** Text fields of a multipart body, in order (file parts are left out). */
function textFields(body, contentType) {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType ?? '')?.[2];
  if (!boundary) return [];
  const fields = [];
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const [head, ...rest] = part.split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (!name || /filename=/.test(head)) continue;
    fields.push([name, Buffer.from(rest.join('\r\n\r\n').replace(/\r\n$/, ''), 'latin1').toString('utf8')]);
  }
  return fields;
}

/**
 * `answer(request)` may reply in the server's place (return `{ status, body }`), for
 * what the real server cannot be made to do on cue, such as a query that never ends.
 */
export async function startRecordingProxy(target, answer = () => null) {
  const upstream = new URL(target);
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        fields: textFields(body, req.headers['content-type']),
      };
      seen.push(recorded);
      const own = answer(recorded);
      if (own) {
        res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
        return;
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      forward.on('error', (e) => res.writeHead(502).end(String(e)));
      forward.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}
