// The entry's video upload: resumable, with the tus protocol (docs/entries.md, "Uploads"), through the npm
// tus-js-client. The file goes in chunks; a dropped connection is retried, and the upload continues from the byte the
// server has (it keeps every byte it received, so at most the chunk in flight is sent again). Started again later in
// the same browser with the same file (after a reload, or the next day), it continues where it stopped: tus keeps the
// upload's address in localStorage under the file's fingerprint.

import { Upload } from "tus-js-client";

const ENDPOINT = "/api/uploads";

/** Bytes per PATCH request: what a cut connection costs at most, and what a proxy in between may have to buffer. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Waits before each new try of a request that failed without an answer (or with a 5xx, 409 or 423): about ten minutes
 * in all, for Wi-Fi that comes back. */
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 60000, 120000, 120000, 120000];

/**
 * Uploads `file` as the video of the entry whose private page's secret is `entrySecret`.
 * onProgress(sent, total) as bytes go; onRetry() when the connection was lost and the upload will try again by itself
 * (the next onProgress means it is going again); onError(message) once, with a sentence for the entrant; onSuccess()
 * once the server has the whole file (its check is then queued). Returns { abort() }: stops sending; the bytes the server has
 * are kept, and starting again with the same file continues from them.
 */
export function startUpload(file, { entrySecret, onProgress, onRetry, onError, onSuccess }) {
  let aborted = false;
  const upload = new Upload(file, {
    endpoint: ENDPOINT,
    chunkSize: CHUNK_BYTES,
    retryDelays: RETRY_DELAYS_MS,
    metadata: { entry: entrySecret, filename: file.name || "video" },
    // One entry's upload of a file is not another entry's: the fingerprint names the entry too (by a hash of its
    // secret, so the secret itself is not written to localStorage).
    fingerprint: (f) => Promise.resolve(["amv-upload", hash(entrySecret), f.name, f.type, f.size, f.lastModified].join("/")),
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onProgress: (sent, total) => onProgress?.(sent, total),
    // tus-js-client's own rule (no answer, a 5xx, 409 or 423: try again), except that it gives up at once while the
    // browser says it is offline: Wi-Fi that drops for a minute is exactly what the retries are for.
    onShouldRetry: (error) => {
      const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
      const again = status < 400 || status >= 500 || status === 409 || status === 423;
      if (again) onRetry?.();
      return again;
    },
    onError: (error) => onError?.(describe(error)),
    onSuccess: () => onSuccess?.(),
  });

  upload
    .findPreviousUploads()
    .then((previous) => {
      if (aborted) return;
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    })
    .catch(() => {
      if (!aborted) upload.start(); // no storage to look in (private mode): a new upload
    });

  return {
    abort() {
      aborted = true;
      upload.abort(false); // the server keeps what it has, for a later start with the same file
    },
  };
}

/** What went wrong, for the entrant: the server's own sentence (its ProblemDetails' detail) when it answered. */
function describe(error) {
  const response = error && error.originalResponse;
  if (response) {
    try {
      const problem = JSON.parse(response.getBody());
      if (problem && typeof problem.detail === "string") return problem.detail;
      if (problem && typeof problem.title === "string") return problem.title;
    } catch {
      // not a ProblemDetails body
    }
    return `The server refused the upload (HTTP ${response.getStatus()}).`;
  }
  return "The connection to the server was lost and did not come back: check the network, then choose the file again to continue where it stopped.";
}

/** A short non-secret tag of a string (FNV-1a, 32 bits, hex): enough to tell entries apart in one browser. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
