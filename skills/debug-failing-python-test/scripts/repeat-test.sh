#!/usr/bin/env bash
# Run one pytest node repeatedly until it fails, to show whether it is flaky.
#   repeat-test.sh "tests/test_x.py::test_y" [times=20] [python=python]
set -uo pipefail
node=${1:?usage: repeat-test.sh NODE_ID [TIMES] [PYTHON]}
times=${2:-20}
python=${3:-python}
for ((run = 1; run <= times; run++)); do
    if ! "$python" -m pytest -q -x -p no:cacheprovider "$node" >/tmp/repeat-test.$$.log 2>&1; then
        echo "failed on run $run of $times; output:"
        tail -n 40 /tmp/repeat-test.$$.log
        rm -f /tmp/repeat-test.$$.log
        exit 1
    fi
done
rm -f /tmp/repeat-test.$$.log
echo "passed $times runs in a row"
