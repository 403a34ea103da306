// PLACEHOLDER, REPLACED AT MERGE by the resumable upload module (tus-js-client, the uploads part of docs/entries.md).
// It only has the agreed signature so the entry page builds and its tests run before that module is merged:
//   startUpload(file, { entrySecret, onProgress(sent, total), onError(message), onSuccess() }) → { abort() }
// This stand-in uploads nothing: it reports at once that uploads are not available in this build.

export function startUpload(file, { onError }) {
  const timer = setTimeout(() => onError("Uploads are not available in this build of the server."), 0);
  return { abort: () => clearTimeout(timer) };
}
