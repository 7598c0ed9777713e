"""peak_rss.py CMD [ARGS...] — run CMD, pass its exit code on, and write
its peak resident set in KiB (the kernel's high-water mark, what VmHWM in
/proc/PID/status shows while it runs) to the file named by $PEAK_FILE."""
import os
import resource
import subprocess
import sys

rc = subprocess.call(sys.argv[1:])
with open(os.environ["PEAK_FILE"], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
