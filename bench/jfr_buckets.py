"""Buckets a JFR recording's execution samples: engine, reading the body, writing the answer, the rest."""
import collections, json, subprocess, sys
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", sys.argv[1]],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]
buckets = collections.Counter(); tops = collections.Counter()
def names(e):
    return [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in e["values"]["stackTrace"]["frames"]]
for e in events:
    frames = names(e)
    joined = " ".join(frames)
    if "io.rnnserving.engine" in joined:
        b = "engine"
    elif "io.rnnserving.protocol.json" in joined or "RequestReader" in joined or "BinaryTensorData" in joined:
        b = "reading the body"
    elif "AnswerNumbers" in joined or "JsonGenerator" in joined or "InferResponseWriter" in joined:
        b = "writing the answer"
    elif "org.apache.tomcat" in joined or "org.apache.coyote" in joined:
        b = "tomcat (socket, headers)"
    else:
        b = "other"
    buckets[b] += 1
    tops[frames[0] if frames else "?"] += 1
total = sum(buckets.values())
print(f"{total} samples")
for b, n in buckets.most_common():
    print(f"  {b}: {n} ({n / total:.0%})")
print("top frames:")
for f, n in tops.most_common(12):
    print(f"  {n / total:.1%} {f}")
