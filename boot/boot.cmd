# SPDX-License-Identifier: GPL-2.0-only
# Bulkhead's U-Boot script. scripts/mkdisk turns it into boot.scr
# (mkimage -T script) on the FAT partition that U-Boot's distro boot scans.
#
# Loads bulkhead.bin from the partition this script was found on and starts
# it with booti at EL2, passing U-Boot's own device tree (the board's).

# Distro boot sets devtype/devnum/distro_bootpart; run by hand, fall back to
# the first virtio disk.
if test -n "${devtype}" && test -n "${devnum}" && test -n "${distro_bootpart}"; then
	setenv bulkhead_iface "${devtype}"
	setenv bulkhead_part "${devnum}:${distro_bootpart}"
else
	setenv bulkhead_iface virtio
	setenv bulkhead_part 0:1
fi

echo "bulkhead: loading bulkhead.bin from ${bulkhead_iface} ${bulkhead_part} to ${kernel_addr_r}"
if load ${bulkhead_iface} ${bulkhead_part} ${kernel_addr_r} bulkhead.bin; then
	echo "bulkhead: booti ${kernel_addr_r} - ${fdtcontroladdr}"
	booti ${kernel_addr_r} - ${fdtcontroladdr}
fi
echo "bulkhead: ERROR: could not load or start bulkhead.bin from ${bulkhead_iface} ${bulkhead_part}"
