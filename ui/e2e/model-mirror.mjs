// A model download mirror on loopback: what FOLIO_MODEL_MIRROR points the app at, so
// the model manager's real download code fetches a real (tiny, random-weight) GGUF.
// Any path ending in .gguf gets the file, with the checksum header Hugging Face sends
// (X-Linked-ETag: the sha256) and byte ranges for resumed downloads.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export async function startModelMirror(file) {
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const requests = [];
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
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => server.close(),
  };
}
