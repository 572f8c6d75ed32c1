#!/bin/bash
# A bootstrap action as EMR users write it: installs a package version from a wheel folder on S3.
set -euo pipefail
sudo python3 -m pip install --no-index --find-links s3://code/wheels/ "hearthdemo==$1"
