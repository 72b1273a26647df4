"""The ROOT part of `npm run bench`: a big generated nanoDQMIO file, and PyROOT reading it into numpy (what
DIALS's ETL does with nanoDQMIO files), timed in the same run as `dqm-playground ingest root`.

Usage (prints one JSON object on stdout):
  pyroot_reference.py versions                  Python, ROOT and numpy versions (fails without PyROOT)
  pyroot_reference.py generate FILE MEGABYTES   a nanoDQMIO file (DQMRootOutputModule layout, written by
                                                server/test/fixtures/root/dqmio_writer.py) of runs of
                                                LUMIS_PER_RUN lumisections x the MES below, until it holds at
                                                least MEGABYTES (10^6 bytes)
  pyroot_reference.py read FILE [REPEAT]        open FILE, walk Indices, read every TH1/TH2 of every
                                                per-lumisection entry range of the type trees into a numpy
                                                array (bins with under/overflow, copied out of ROOT); times
                                                in seconds, peak RSS of this process, and the RSS with ROOT
                                                imported and nothing read
"""

import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WRITER_DIR = os.path.join(HERE, "..", "..", "test", "fixtures", "root")

LUMIS_PER_RUN = 500
FIRST_RUN = 380000
# (type, name, axes): a handful of DQM monitor elements, TH1F with 100 bins and TH2F maps.
MES = [
    (3, "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1", [(100, 0.0, 100000.0)]),
    (3, "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_2", [(100, 0.0, 100000.0)]),
    (3, "PixelPhase1/Tracks/PXBarrel/size_PXLayer_1", [(100, 0.0, 30.0)]),
    (3, "SiStrip/MechanicalView/TIB/layer_1/Summary_ClusterStoNCorr__OnTrack__TIB__layer__1", [(100, 0.0, 100.0)]),
    (3, "Tracking/TrackParameters/generalTracks/LSanalysis/NumberOfTracks_lumiFlag_GenTk", [(100, 0.0, 2000.0)]),
    (3, "Tracking/TrackParameters/generalTracks/GeneralProperties/TrackEta_ImpactPoint_GenTk", [(100, -2.5, 2.5)]),
    (6, "PixelPhase1/Tracks/PXBarrel/clusterposition_zphi_ontrack_PXLayer_1", [(60, -26.7, 26.7), (40, -3.2, 3.2)]),
    (6, "PixelPhase1/Phase1_MechanicalView/PXBarrel/digi_occupancy_per_SignedModuleCoord_per_SignedLadderCoord_PXLayer_1",
     [(72, -4.5, 4.5), (26, -6.5, 6.5)]),
]


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def current_rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def versions():
    import platform

    import numpy
    import ROOT

    return {"python": platform.python_version(), "root": ROOT.gROOT.GetVersion(), "numpy": numpy.__version__}


def generate(path, megabytes, seed=20250101):
    """Whole runs of LUMIS_PER_RUN lumisections until the file holds at least `megabytes` MB."""
    import numpy as np
    import ROOT

    sys.path.insert(0, os.path.abspath(WRITER_DIR))
    from dqmio_writer import CLASSES, DqmioWriter

    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    # One histogram object per monitor element, refilled for every lumisection.
    hists = []
    for k, (t, name, axes) in enumerate(MES):
        h = CLASSES[t](f"me{k}", name.split("/")[-1], *[v for a in axes for v in a])
        n = h.GetNcells()
        # A smooth shape per monitor element; each lumisection draws Poisson counts around it.
        x = np.linspace(-3, 3, n)
        shape = 200.0 * np.exp(-0.5 * (x - 0.3 * (k - 3)) ** 2) + 5.0
        hists.append((t, name, h, shape))
    w = DqmioWriter(path)
    target = megabytes * 1e6
    runs = lumis = histograms = 0
    run = FIRST_RUN
    while w.bytes_written() < target:
        for ls in range(1, LUMIS_PER_RUN + 1):
            begin = 1700000000 + (run - FIRST_RUN) * 20000 + ls * 23
            for t in (3, 6):
                first = w.entries(t)
                for tt, name, h, shape in hists:
                    if tt != t:
                        continue
                    counts = rng.poisson(shape * rng.uniform(0.8, 1.2)).astype(np.float64)
                    h.SetContent(counts)
                    h.SetEntries(float(counts.sum()))
                    w.fill(t, name, h)
                    histograms += 1
                w.index(run, ls, t, first, w.entries(t) - 1, begin, begin + 23)
            lumis += 1
        runs += 1
        run += 1
    w.close()
    return {
        "file": path,
        "bytes": os.path.getsize(path),
        "runs": runs,
        "lumisections": lumis,
        "monitorElements": len(MES),
        "histograms": histograms,
        "seconds": time.perf_counter() - start,
    }


def read_all(path):
    """Every per-lumisection TH1/TH2 of a nanoDQMIO file as (run, ls, name, entries, numpy bins)."""
    import numpy as np
    import ROOT

    dtypes = {3: np.float32, 4: np.int16, 5: np.float64, 6: np.float32, 7: np.int16, 8: np.float64}
    names = {3: "TH1Fs", 4: "TH1Ss", 5: "TH1Ds", 6: "TH2Fs", 7: "TH2Ss", 8: "TH2Ds"}
    f = ROOT.TFile.Open(path)
    if not f or f.IsZombie():
        raise SystemExit(f"cannot open {path}")
    indices = f.Get("Indices")
    trees = {}
    out = []
    for i in range(indices.GetEntries()):
        indices.GetEntry(i)
        t, ls = indices.Type, indices.Lumi
        if ls == 0 or t not in names:
            continue  # per-run entries, scalars, TH3, profiles, empty lumisections
        tree = trees.get(t)
        if tree is None:
            tree = trees[t] = f.Get(names[t])
        run = indices.Run
        for e in range(indices.FirstIndex, indices.LastIndex + 1):
            tree.GetEntry(e)
            h = tree.Value
            n = h.GetNcells()
            view = h.GetArray()
            view.reshape((n,))
            bins = np.array(np.frombuffer(view, dtype=dtypes[t], count=n))
            out.append((run, ls, str(tree.FullName), h.GetEntries(), bins))
    f.Close()
    return out


def read(path, repeat):
    import numpy  # noqa: F401  (imported before the clock starts)
    import ROOT

    ROOT.gROOT.SetBatch(True)
    rss_after_import = current_rss_bytes()
    seconds = []
    histograms = lumisections = values = 0
    for _ in range(repeat):
        start = time.perf_counter()
        got = read_all(path)
        seconds.append(time.perf_counter() - start)
        histograms = len(got)
        lumisections = len({(r, ls) for r, ls, _, _, _ in got})
        values = sum(len(b) for _, _, _, _, b in got)
        del got
    return {
        "seconds": seconds,
        "histograms": histograms,
        "lumisections": lumisections,
        "values": values,
        "bytes": os.path.getsize(path),
        "maxRssBytes": peak_rss_bytes(),
        "rssAfterImportBytes": rss_after_import,
    }


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    if cmd == "versions":
        out = versions()
    elif cmd == "generate":
        out = generate(args[0], float(args[1]))
    elif cmd == "read":
        out = read(args[0], int(args[1]) if len(args) > 1 else 1)
    else:
        raise SystemExit(f"unknown command {cmd!r}\n{__doc__}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
