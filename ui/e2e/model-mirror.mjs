// A model download mirror on loopback: what FOLIO_MODEL_MIRROR points the app at, so
// the model manager's real download code fetches a real (tiny, random-weight) GGUF.
// Any path ending in .gguf gets the file, with the checksum header Hugging Face sends
// (X-Linked-ETag: the sha256) and byte ranges for resumed downloads; it can hold a
// download half-way, for a test to look at the progress.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export async function startModelMirror(file) {
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const requests = [];
  let held = null;
  let release = () => {};
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (!req.url.split('?')[0].endsWith('.gguf')) {
      res.writeHead(404).end('no such model');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = bytes.subarray(start);
    const headers = {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      'x-linked-etag': `"${sha256}"`,
    };
    if (range) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    if (!held) return void res.end(body);
    // Held: half the file now, then a trickle (the app reports progress as bytes arrive),
    // and the rest on release, so a test can see a download under way.
    let sent = Math.floor(body.length / 2);
    res.write(body.subarray(0, sent));
    const trickle = setInterval(() => {
      const next = Math.min(sent + 16384, body.length - 1);
      res.write(body.subarray(sent, next));
      sent = next;
    }, 100);
    res.on('close', () => clearInterval(trickle));
    held.then(() => {
      clearInterval(trickle);
      res.end(body.subarray(sent));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Downloads from now on stop half-way until `release()`. */
    hold() {
      held = new Promise((resolve) => (release = resolve));
    },
    release() {
      held = null;
      release();
    },
    close() {
      this.release();
      server.close();
    },
  };
}
