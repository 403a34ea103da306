// Room page: rotate the code; the QR and code follow RoomChanged (also when another console rotates).
import { api, $, act, connectHub } from './console.js';

function show(room) {
  $('#room-code').textContent = room.code;
  const link = $('#join-url');
  link.textContent = room.joinUrl;
  link.href = room.joinUrl;
  const qr = $('#qr');
  qr.src = `/qr.svg?code=${encodeURIComponent(room.code)}`;
  qr.alt = `QR code of the join address ${room.joinUrl}`;
}

$('#rotate').addEventListener('click', event => {
  if (!confirm('Make a new room code? The current one stops letting new phones join.')) return;
  act(event.currentTarget, async () => show(await api('POST', '/api/room/rotate')), { done: 'New room code made. Reprint the posters.' });
});

connectHub({ roomChanged: show }, async () => show(await api('GET', '/api/room')));
