"""Calls a Portico XML-RPC method with Python's standard xmlrpc.client (a codec that is not
Portico's own) and prints the outcome as JSON. Input on stdin:
{"url": ..., "method": ..., "args": {...}, "flat": bool, "raw": [...] | null}
Binary values come back as {"__base64__": "..."}."""
import base64, json, sys, xmlrpc.client

def to_json(v):
    if isinstance(v, xmlrpc.client.Binary):
        return {"__base64__": base64.b64encode(v.data).decode()}
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    if isinstance(v, xmlrpc.client.DateTime):
        return str(v)
    return v

req = json.load(sys.stdin)
proxy = xmlrpc.client.ServerProxy(req["url"], allow_none=False)
fn = getattr(proxy, req["method"])
try:
    if req.get("raw") is not None:
        result = fn(*req["raw"])
    elif req.get("flat"):
        flat = []
        for k, v in req["args"].items():
            flat += [k, v]
        result = fn(*flat)
    else:
        result = fn(req["args"])
    print(json.dumps({"ok": True, "value": to_json(result)}))
except xmlrpc.client.Fault as f:
    print(json.dumps({"ok": False, "fault": {"code": f.faultCode, "message": f.faultString}}))
except xmlrpc.client.ProtocolError as p:
    print(json.dumps({"ok": False, "http": {"status": p.errcode, "headers": {k.lower(): v for k, v in p.headers.items()}}}))
