"""Reference figures for `npm run bench`: what a physicist would otherwise run, timed in the same run.

Usage (prints one JSON object on stdout; every time is a list of seconds, one per repeat):
  pandas_reference.py versions
  pandas_reference.py read-csv FILE [REPEAT]        pandas.read_csv + json.loads of the histo column
  pandas_reference.py csv-to-parquet FILE OUT [REPEAT]
                                                    read-csv, then the histograms as one float32 matrix
                                                    written to Parquet with pyarrow (a pandas "ingest")
  pandas_reference.py read-parquet FILE [REPEAT]    pandas.read_parquet, and pyarrow.parquet.read_table
  pandas_reference.py arrow-to-parquet IN OUT       Arrow IPC stream -> Parquet (pyarrow, default snappy)
  pandas_reference.py score SCORES LABELS [REPEAT]  scikit-learn roc_auc_score, average_precision_score and
                                                    roc_curve (recall at FPR 1e-2, 1e-3) on float64 scores
                                                    and uint8 labels (raw little-endian files), and numpy's
                                                    rank-formula ROC AUC alone
"""

import json
import os
import sys
import time

FPR_TARGETS = (1e-2, 1e-3)


def timed(fn, repeat):
    """Runs fn repeat times; the modules it needs must be imported before (import time is not timed)."""
    seconds = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def read_legacy_csv(path):
    import pandas as pd

    df = pd.read_csv(path)
    df["histo"] = df["histo"].map(json.loads)
    return df


def read_csv(path, repeat):
    import pandas  # noqa: F401  (imported before the clock starts)

    seconds, rows = timed(lambda: len(read_legacy_csv(path)), repeat)
    return {"seconds": seconds, "rows": rows, "bytes": os.path.getsize(path)}


def csv_to_parquet(path, out, repeat):
    import numpy as np
    import pandas  # noqa: F401  (imported before the clock starts)
    import pyarrow as pa
    import pyarrow.parquet as pq

    def run():
        df = read_legacy_csv(path)
        matrix = np.array(df["histo"].tolist(), dtype=np.float32)
        width = matrix.shape[1] if matrix.ndim == 2 else 0
        data = pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), width)
        table = pa.table(
            {
                "run": pa.array(df["fromrun"].to_numpy(np.int32)),
                "lumisection": pa.array(df["fromlumi"].to_numpy(np.int32)),
                "entries": pa.array(df["entries"].to_numpy(np.float64)),
                "data": data,
            }
        )
        pq.write_table(table, out)
        return table.num_rows

    seconds, rows = timed(run, repeat)
    return {"seconds": seconds, "rows": rows, "bytes": os.path.getsize(path)}


def read_parquet(path, repeat):
    import pandas as pd
    import pyarrow.parquet as pq  # pandas' Parquet engine, imported before the clock starts

    seconds, rows = timed(lambda: len(pd.read_parquet(path)), repeat)
    # pyarrow alone: a columnar table, without pandas' conversion of the bins to one array per row.
    pyarrow_seconds, _ = timed(lambda: pq.read_table(path).num_rows, repeat)
    return {
        "seconds": seconds,
        "rows": rows,
        "bytes": os.path.getsize(path),
        "pyarrowSeconds": pyarrow_seconds,
    }


def arrow_to_parquet(src, dst):
    import pyarrow as pa
    import pyarrow.parquet as pq

    with pa.memory_map(src) as f:
        table = pa.ipc.open_stream(f).read_all()
    pq.write_table(table, dst)
    return {"rows": table.num_rows, "bytes": os.path.getsize(dst)}


def score(scores_file, labels_file, repeat):
    import numpy as np
    from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

    scores = np.fromfile(scores_file, dtype="<f8")
    labels = np.fromfile(labels_file, dtype=np.uint8)
    if len(scores) != len(labels):
        raise SystemExit(f"{len(scores)} scores but {len(labels)} labels")
    n = len(scores)

    def sklearn_metrics():
        fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
        recall = {str(t): float(tpr[fpr <= t].max()) for t in FPR_TARGETS}
        return {
            "rocAuc": float(roc_auc_score(labels, scores)),
            "averagePrecision": float(average_precision_score(labels, scores)),
            "recallAtFpr": recall,
        }

    def numpy_auc():
        # Mann-Whitney U from ranks (no tie correction: the scores are continuous).
        ranks = np.empty(n)
        ranks[np.argsort(scores, kind="quicksort")] = np.arange(1, n + 1)
        bad = labels == 1
        n_bad = int(bad.sum())
        n_good = n - n_bad
        return float((ranks[bad].sum() - n_bad * (n_bad + 1) / 2) / (n_bad * n_good))

    seconds, metrics = timed(sklearn_metrics, repeat)
    numpy_seconds, auc = timed(numpy_auc, repeat)
    return {
        "n": n,
        "seconds": seconds,
        "metrics": metrics,
        "numpySeconds": numpy_seconds,
        "numpyRocAuc": auc,
    }


def versions():
    import platform

    import numpy
    import pandas
    import pyarrow
    import sklearn

    return {
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
        "sklearn": sklearn.__version__,
    }


def repeat_arg(args, i):
    return int(args[i]) if len(args) > i else 1


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    if cmd == "versions":
        out = versions()
    elif cmd == "read-csv":
        out = read_csv(args[0], repeat_arg(args, 1))
    elif cmd == "csv-to-parquet":
        out = csv_to_parquet(args[0], args[1], repeat_arg(args, 2))
    elif cmd == "read-parquet":
        out = read_parquet(args[0], repeat_arg(args, 1))
    elif cmd == "arrow-to-parquet":
        out = arrow_to_parquet(args[0], args[1])
    elif cmd == "score":
        out = score(args[0], args[1], repeat_arg(args, 2))
    else:
        raise SystemExit(f"unknown command {cmd!r}\n{__doc__}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
