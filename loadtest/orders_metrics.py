#!/usr/bin/env python3
"""What the gateway answered to POST /orders between two scrapes of its /metrics.

  orders_metrics.py snap <gateway-url> <file>      saves the POST /orders counters and latency buckets
  orders_metrics.py diff <before> <after>          prints one JSON line: answers per status, the share
                                                   of 201s, and p50/p99 (ms) of all answers and of 503s

The gateway's own histogram (vertx_http_server_response_time_seconds) is read, so latencies are the
server's, from request to answer, without the load generator's queueing; the buckets make them upper
bounds at the bucket's edge.
"""
import json
import re
import sys
import urllib.request

LINE = re.compile(r'^(vertx_http_server_(?:requests_total|response_time_seconds_bucket))\{([^}]*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def snap(url, path):
    text = urllib.request.urlopen(url.rstrip('/') + '/metrics', timeout=10).read().decode()
    kept = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        labels = dict(LABEL.findall(m.group(2)))
        # The gateway's route is its prefix pattern (e.g. \Q/orders\E(/.*)?), which a cancel shares: the load
        # scripts send only POST /orders.
        if labels.get('method') != 'POST' or '/orders' not in labels.get('route', ''):
            continue
        if m.group(1).endswith('_total'):
            key = 'count|' + labels.get('code', '?')
        else:
            key = 'bucket|' + labels.get('code', '?') + '|' + labels['le']
        kept[key] = kept.get(key, 0.0) + float(m.group(3))
    with open(path, 'w') as out:
        json.dump(kept, out)


def percentile(buckets, q):
    """Upper bound (ms) of the q-quantile from cumulative buckets {le: count}."""
    edges = sorted(((float('inf') if le == '+Inf' else float(le)), n) for le, n in buckets.items())
    if not edges or edges[-1][1] <= 0:
        return None
    target = q * edges[-1][1]
    for le, n in edges:
        if n >= target:
            return None if le == float('inf') else round(le * 1000, 1)
    return None


def diff(before_path, after_path):
    before = json.load(open(before_path))
    after = json.load(open(after_path))
    delta = {k: after[k] - before.get(k, 0.0) for k in after}
    statuses = {k.split('|')[1]: int(v) for k, v in delta.items() if k.startswith('count|') and v > 0}
    total = sum(statuses.values())
    every, refused = {}, {}
    for k, v in delta.items():
        if not k.startswith('bucket|'):
            continue
        _, code, le = k.split('|')
        every[le] = every.get(le, 0.0) + v
        if code == '503':
            refused[le] = refused.get(le, 0.0) + v
    print(json.dumps({
        'answers': total,
        'statuses': statuses,
        'share_201': round(statuses.get('201', 0) / total * 100, 2) if total else None,
        'p50_ms': percentile(every, 0.50),
        'p99_ms': percentile(every, 0.99),
        'refused_p99_ms': percentile(refused, 0.99) if refused else None,
    }))


if __name__ == '__main__':
    if sys.argv[1] == 'snap':
        snap(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'diff':
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
