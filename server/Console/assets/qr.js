// Full-screen QR: follows every rotation of the room code (RoomChanged, pushed to booth and coordinators). After a
// lost connection it reloads, since a rotation may have been missed meanwhile.
import { $, connectHub } from './console.js';

function show(room) {
  const qr = $('#qr');
  qr.src = `/qr.svg?code=${encodeURIComponent(room.code)}`;
  qr.alt = `QR code of the join address ${room.joinUrl}`;
  $('#room-code').textContent = room.code;
  $('#join-url').textContent = room.joinUrl;
}

let connectedOnce = false;
connectHub({ roomChanged: show }, async () => {
  if (connectedOnce) location.reload();
  connectedOnce = true;
  document.body.dataset.live = 'true';
});
