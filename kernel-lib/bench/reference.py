"""References of the kernel library's training benchmark: what a physicist would otherwise run.

Usage (each prints one JSON object on stdout; progress and library chatter go to stderr):
  reference.py versions
  reference.py train torch|keras --data FILE --rows N --cols D --widths 100,64,16,64,100
               --batch B --budget SECONDS [--threads T] [--seed S]
      The same dense autoencoder as the benchmark (ReLU hidden layers, sigmoid output, Adam 1e-3 with
      epsilon 1e-7 as in Keras and TensorFlow.js, MSE), on the same float32 samples: one warm-up epoch
      on the first 8 batches (excluded), then one timed epoch, shuffled, on as many rows as fit in
      the budget at the warm-up's rate (whole batches, at least 4).
  reference.py load --url URL --task NAME [--repeat R]
      A task's train split from the service's Arrow stream (token in $DQM_PLAYGROUND_TOKEN), read with
      pyarrow into one float32 matrix, and with pandas (to_pandas, then numpy.stack per column): one
      untimed request, then R timed ones.
"""

import argparse
import json
import os
import sys
import time

ARROW_STREAM = "application/vnd.apache.arrow.stream"


def versions():
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for name in ("numpy", "torch", "tensorflow-cpu", "keras", "pandas", "pyarrow"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def timed_rows(rate, budget, batch, available):
    fit = int(rate * budget / batch) * batch
    return min(available, max(4 * batch, fit))


def load_data(args):
    import numpy as np

    x = np.fromfile(args.data, dtype="<f4", count=args.rows * args.cols)
    return x.reshape(args.rows, args.cols)


def train_torch(args, widths):
    import numpy as np
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x = torch.from_numpy(np.ascontiguousarray(load_data(args)))
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        layers.append(torch.nn.ReLU() if i < len(widths) - 2 else torch.nn.Sigmoid())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.MSELoss()
    batch = args.batch

    def epoch(n):
        perm = torch.randperm(n)
        total = 0.0
        for start in range(0, n, batch):
            xb = x[perm[start : start + batch]]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), xb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        return total / n

    warmup = min(args.rows, 8 * batch)
    t = time.perf_counter()
    epoch(warmup)
    rate = warmup / (time.perf_counter() - t)
    rows = timed_rows(rate, args.budget, batch, args.rows)
    t = time.perf_counter()
    loss = epoch(rows)
    seconds = time.perf_counter() - t
    return {
        "framework": "torch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "warmupRows": warmup,
        "rows": rows,
        "seconds": seconds,
        "loss": loss,
    }


def train_keras(args, widths):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    keras.utils.set_random_seed(args.seed)
    x = load_data(args)
    model = keras.Sequential(
        [keras.Input((widths[0],))]
        + [keras.layers.Dense(w, activation="relu") for w in widths[1:-1]]
        + [keras.layers.Dense(widths[-1], activation="sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7), loss="mse")
    batch = args.batch
    warmup = min(args.rows, 8 * batch)
    t = time.perf_counter()
    model.fit(x[:warmup], x[:warmup], batch_size=batch, epochs=1, shuffle=True, verbose=0)
    rate = warmup / (time.perf_counter() - t)
    rows = timed_rows(rate, args.budget, batch, args.rows)
    t = time.perf_counter()
    history = model.fit(x[:rows], x[:rows], batch_size=batch, epochs=1, shuffle=True, verbose=0)
    seconds = time.perf_counter() - t
    return {
        "framework": "keras",
        "version": f"keras {keras.__version__}, tensorflow {tf.__version__}",
        "threads": args.threads or os.cpu_count(),
        "warmupRows": warmup,
        "rows": rows,
        "seconds": seconds,
        "loss": float(history.history["loss"][0]),
    }


def load_split(args):
    import urllib.parse
    import urllib.request

    import numpy as np
    import pandas  # noqa: F401  (imported before the clock starts)
    import pyarrow as pa

    url = f"{args.url.rstrip('/')}/api/v1/tasks/{urllib.parse.quote(args.task, safe='')}/splits/train"
    headers = {"accept": ARROW_STREAM}
    token = os.environ.get("DQM_PLAYGROUND_TOKEN")
    if token:
        headers["authorization"] = f"Bearer {token}"

    def fetch():
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as res:
            return res.read()

    def histogram_columns(table):
        return [f.name for f in table.schema if pa.types.is_fixed_size_list(f.type)]

    def pyarrow_matrix(table):
        blocks = []
        for name in histogram_columns(table):
            col = table.column(name).combine_chunks()
            values = col.flatten().to_numpy(zero_copy_only=False)
            blocks.append(values.reshape(len(col), col.type.list_size))
        return blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)

    def pandas_matrix(table):
        df = table.to_pandas()
        blocks = [np.stack(df[name].to_numpy()) for name in histogram_columns(table)]
        return blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)

    fetch()  # untimed: the server's first read of the split
    runs = []
    shape = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        body = fetch()
        t1 = time.perf_counter()
        table = pa.ipc.open_stream(body).read_all()
        t2 = time.perf_counter()
        matrix = pyarrow_matrix(table)
        t3 = time.perf_counter()
        matrix2 = pandas_matrix(table)
        t4 = time.perf_counter()
        assert matrix.dtype == np.float32 and matrix2.shape == matrix.shape
        shape = list(matrix.shape)
        runs.append(
            {
                "fetch": t1 - t0,
                "read": t2 - t1,
                "pyarrowMatrix": t3 - t2,
                "pandasMatrix": t4 - t3,
                "bodyBytes": len(body),
            }
        )
    return {"task": args.task, "shape": shape, "runs": runs}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("versions")
    train = sub.add_parser("train")
    train.add_argument("framework", choices=["torch", "keras"])
    train.add_argument("--data", required=True)
    train.add_argument("--rows", type=int, required=True)
    train.add_argument("--cols", type=int, required=True)
    train.add_argument("--widths", required=True)
    train.add_argument("--batch", type=int, required=True)
    train.add_argument("--budget", type=float, required=True)
    train.add_argument("--threads", type=int, default=0)
    train.add_argument("--seed", type=int, default=42)
    load = sub.add_parser("load")
    load.add_argument("--url", required=True)
    load.add_argument("--task", required=True)
    load.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.command == "versions":
        result = versions()
    elif args.command == "train":
        widths = [int(w) for w in args.widths.split(",")]
        if widths[0] != args.cols or widths[-1] != args.cols:
            parser.error(f"--widths must start and end with --cols ({args.cols})")
        result = (train_torch if args.framework == "torch" else train_keras)(args, widths)
        result["samplesPerSecond"] = result["rows"] / result["seconds"]
    else:
        result = load_split(args)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
