"""The sitting line every peer script of variate prints first: when, on
what machine, with which versions, so that a raw output file says where
its figures come from."""
import os
import platform
import time


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def sitting(script, **versions):
    """Prints '# sitting: date=… cpu=… cores=… python=… <versions>'."""
    v = " ".join(f"{k}={val}" for k, val in versions.items())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"# sitting: script={script} date={time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} "
          f"os={platform.system()}/{platform.machine()} cpu=\"{cpu_model()}\" cores={os.cpu_count()} "
          f"load=\"{load}\" python={platform.python_version()} {v}", flush=True)
