import Foundation

/// Raw-socket clients for the connection tests, in Python (the interop tier may drive external
/// programs; Python's `select` makes a thousand sockets easy). Each mode prints one JSON object.
enum ConnectionProbe {
    static let script = #"""
import json, os, resource, select, socket, sys, time

def readable(sockets, timeout):
    # poll, not select: descriptors above 1023 do not fit select's sets.
    poller = select.poll()
    by_fd = {}
    for s in sockets:
        poller.register(s, select.POLLIN | select.POLLHUP | select.POLLERR)
        by_fd[s.fileno()] = s
    return [by_fd[fd] for fd, _ in poller.poll(timeout * 1000)]

def connect(port, timeout=5):
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    return s

def read_until_closed(s, limit):
    # Everything the server sends until it closes the connection, and when it closed (None: still open at limit).
    start = time.monotonic()
    data = b''
    s.setblocking(False)
    while time.monotonic() - start < limit:
        r = readable([s], 0.05)
        if r:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, OSError):
                return data, time.monotonic() - start
            if not chunk:
                return data, time.monotonic() - start
            data += chunk
    return data, None

def http_get(port, path, headers=''):
    s = connect(port)
    s.sendall(('GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n' % (path, headers)).encode())
    data, _ = read_until_closed(s, 30)
    s.close()
    return data

def cpu_seconds(pid):
    fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')

def open_files(pid):
    return len(os.listdir('/proc/%d/fd' % pid))

mode = sys.argv[1]
port = int(sys.argv[2])
result = {}

if mode == 'flood':
    count, pid = int(sys.argv[3]), int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 256)), hard))
    # A client with a kept-alive connection from before the flood.
    keeper = connect(port)
    keeper.sendall(b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    time.sleep(0.3)
    keeper.recv(65536)
    cpu_before = cpu_seconds(pid)
    sockets, opened_at, failed_connects = [], {}, 0
    # Which sockets the server answered or closed, and when: polled while the flood is still
    # opening too, so a refusal's delay is the server's, not the time the probe took to open the rest.
    closes, refusal_delays, answers = {'refused': 0, 'silent': 0}, [], set()
    pending, buffers = [], {}
    def collect(timeout):
        for s in readable(pending, timeout):
            try:
                chunk = s.recv(4096)
            except OSError:
                chunk = b''
            if chunk:
                buffers[s.fileno()] = buffers.get(s.fileno(), b'') + chunk
                continue
            pending.remove(s)
            data = buffers.get(s.fileno(), b'')
            if data.startswith(b'HTTP/1.1 503'):
                closes['refused'] += 1
                refusal_delays.append(time.monotonic() - opened_at[s.fileno()])
                answers.add(data.split(b'\r\n\r\n')[0].decode())
            else:
                closes['silent'] += 1
    started = time.monotonic()
    for index in range(count):
        try:
            s = socket.create_connection(('127.0.0.1', port), timeout=5)
            s.setblocking(False)
            sockets.append(s)
            pending.append(s)
            opened_at[s.fileno()] = time.monotonic()
        except OSError:
            failed_connects += 1
        if index % 25 == 24:
            collect(0)
    result['opened'] = len(sockets)
    result['failed_connects'] = failed_connects
    result['open_seconds'] = time.monotonic() - started
    result['server_open_files'] = open_files(pid)
    # Then a second more after the last connect.
    deadline = time.monotonic() + 1.0
    while pending and time.monotonic() < deadline:
        collect(0.05)
    result['refused_503'] = closes['refused']
    result['closed_without_answer'] = closes['silent']
    result['still_open_after_1s'] = len(pending)
    result['slowest_refusal_seconds'] = max(refusal_delays) if refusal_delays else None
    result['refusal'] = sorted(answers)[0] if answers else ''
    # A normal client now: an immediate 503 while the cap is full, then served once the idle
    # sockets' head timeout frees their places; the kept-alive connection is served throughout.
    keeper.sendall(b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    keeper.settimeout(5)
    result['kept_alive_status'] = keeper.recv(65536).split(b'\r\n')[0].decode()
    first = http_get(port, '/health')
    result['new_client_first_status'] = first.split(b'\r\n')[0].decode()
    served_at, attempts = None, 0
    begin = time.monotonic()
    while time.monotonic() - begin < 30:
        attempts += 1
        reply = http_get(port, '/health')
        if reply.startswith(b'HTTP/1.1 200'):
            served_at = time.monotonic() - started
            break
        time.sleep(0.1)
    result['health_served_after_seconds'] = served_at
    result['attempts'] = attempts
    tile = http_get(port, '/maps/mini/13/6523/3610.png')
    result['tile_status'] = tile.split(b'\r\n')[0].decode()
    result['tile_is_png'] = b'\r\n\r\n\x89PNG' in tile
    result['server_cpu_seconds'] = cpu_seconds(pid) - cpu_before
    result['elapsed_seconds'] = time.monotonic() - started
    for s in sockets:
        s.close()

elif mode == 'slowloris':
    interval = float(sys.argv[3])
    s = connect(port)
    s.sendall(b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    started = time.monotonic()
    data, closed, sent = b'', None, 0
    s.setblocking(False)
    while time.monotonic() - started < 90:
        r = readable([s], interval)
        if r:
            try:
                chunk = s.recv(65536)
            except OSError:
                chunk = b''
            if not chunk:
                closed = time.monotonic() - started
                break
            data += chunk
            continue
        try:
            s.send(b'X-Slow: aaaaaaaa\r\n'[sent % 18:sent % 18 + 1])
            sent += 1
        except OSError:
            closed = time.monotonic() - started
            break
    result = {'closed_after_seconds': closed, 'bytes_sent': sent, 'answer': data.split(b'\r\n')[0].decode()}

elif mode == 'idle':
    # argv[3]: a request to send first ('' for none); the time counts from its answer.
    request = sys.argv[3].encode().replace(b'\\r\\n', b'\r\n')
    s = connect(port)
    answer = b''
    if request:
        s.sendall(request)
        s.settimeout(30)
        answer = s.recv(65536)
    data, closed = read_until_closed(s, 90)
    result = {'closed_after_seconds': closed, 'answer': answer.split(b'\r\n')[0].decode()}

elif mode == 'http10':
    keep_alive = sys.argv[3] == 'keep-alive'
    s = connect(port)
    s.sendall(b'GET /health HTTP/1.0\r\n' + (b'Connection: keep-alive\r\n' if keep_alive else b'') + b'\r\n')
    data, closed = read_until_closed(s, 3)
    head = data.split(b'\r\n\r\n')[0].decode()
    result = {'closed_after_seconds': closed, 'head': head}

elif mode == 'hammer':
    count = int(sys.argv[3])
    s = connect(port)
    statuses = {}
    for i in range(count):
        s.sendall(b'GET /admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong-token-%d-xxxxxxxxxxxx\r\n\r\n' % i)
        data = b''
        while b'\r\n\r\n' not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b'\r\n\r\n')
        length = 0
        for line in head.split(b'\r\n'):
            if line.lower().startswith(b'content-length:'):
                length = int(line.split(b':')[1])
        while len(body) < length:
            body += s.recv(65536)
        status = head.split(b' ')[1].decode() if head else 'closed'
        statuses[status] = statuses.get(status, 0) + 1
    result = {'statuses': statuses}

elif mode == 't22':
    # T22 at once: idle keep-alive connections, slowloris connections (a head byte a second) and
    # clients that pipeline tile requests and never read, while a normal client keeps fetching a tile.
    pid, idle_count, slow_count, deaf_count = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    # The cache file (and its -wal and -shm) is opened by the first tile; count from after it.
    http_get(port, '/maps/mini/13/6523/3610.png')
    http_get(port, '/maps/mini/13/6523/3610@2x.png')
    base = open_files(pid)
    started = time.monotonic()
    idle, slow, deaf = [], [], []
    for _ in range(idle_count):
        s = connect(port)
        s.sendall(b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
        idle.append(s)
    for s in idle:
        s.settimeout(10)
        s.recv(65536)
        s.setblocking(False)
    for _ in range(slow_count):
        s = connect(port)
        s.sendall(b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
        s.setblocking(False)
        slow.append(s)
    for _ in range(deaf_count):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(('127.0.0.1', port))
        s.sendall(b'GET /maps/mini/13/6523/3610@2x.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' * 400)
        deaf.append(s)
    opened = time.monotonic()
    result['opened_seconds'] = opened - started
    closed = {'idle': [], 'slow': [], 'slow_408': 0}
    open_sets = {'idle': list(idle), 'slow': list(slow)}
    peak, released, latencies, statuses, next_byte = base, None, [], {}, opened + 1
    while time.monotonic() - opened < 40:
        now = time.monotonic()
        for kind in ('idle', 'slow'):
            if not open_sets[kind]:
                continue
            for s in readable(open_sets[kind], 0.01):
                try:
                    chunk = s.recv(65536)
                except OSError:
                    chunk = b''
                if kind == 'slow' and chunk.startswith(b'HTTP/1.1 408'):
                    closed['slow_408'] += 1
                    try:
                        chunk = s.recv(65536)
                    except OSError:
                        chunk = b''
                if not chunk:
                    open_sets[kind].remove(s)
                    closed[kind].append(time.monotonic() - opened)
        if now >= next_byte:
            next_byte = now + 1
            for s in list(open_sets['slow']):
                try:
                    s.send(b'X')
                except OSError:
                    pass
        begin = time.monotonic()
        reply = http_get(port, '/maps/mini/13/6523/3610.png')
        latencies.append(time.monotonic() - begin)
        status = reply.split(b' ')[1].decode() if reply else 'closed'
        statuses[status] = statuses.get(status, 0) + 1
        files = open_files(pid)
        peak = max(peak, files)
        if files <= base + 2 and not open_sets['idle'] and not open_sets['slow']:
            released = time.monotonic() - opened
            break
        time.sleep(0.2)
    latencies.sort()
    result.update({
        'base_open_files': base, 'peak_open_files': peak, 'all_released_after_seconds': released,
        'idle_closed': len(closed['idle']), 'idle_closed_last_seconds': max(closed['idle']) if closed['idle'] else None,
        'idle_closed_first_seconds': min(closed['idle']) if closed['idle'] else None,
        'slow_closed': len(closed['slow']), 'slow_closed_last_seconds': max(closed['slow']) if closed['slow'] else None,
        'slow_answered_408': closed['slow_408'],
        'normal_requests': len(latencies), 'normal_statuses': statuses,
        'normal_latency_median_seconds': latencies[len(latencies) // 2] if latencies else None,
        'normal_latency_max_seconds': latencies[-1] if latencies else None,
    })
    deaf_eof = 0
    for s in deaf:
        data, when = read_until_closed(s, 5)
        if when is not None:
            deaf_eof += 1
    result['deaf_closed_by_server'] = deaf_eof

print(json.dumps(result))
"""#

    /// Runs one mode; the JSON it printed.
    static func run(_ arguments: [String]) throws -> [String: Any] {
        let run = try runProgram("/usr/bin/python3", ["-c", script] + arguments)
        guard run.status == 0, let line = run.output.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw InteropError("connection probe \(arguments.first ?? "") failed: \(run.output.suffix(2000))")
        }
        return object
    }
}
