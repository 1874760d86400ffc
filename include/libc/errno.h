/* SPDX-License-Identifier: GPL-2.0-only */
/* Error codes, with Linux's values so host builds and the hypervisor agree. */
#ifndef BULKHEAD_LIBC_ERRNO_H
#define BULKHEAD_LIBC_ERRNO_H

#define EPERM	    1
#define ENOENT	    2
#define EIO	    5
#define E2BIG	    7
#define ENOEXEC	    8
#define ENOMEM	    12
#define EFAULT	    14
#define EBUSY	    16
#define EEXIST	    17
#define ENODEV	    19
#define EINVAL	    22
#define ENOSPC	    28
#define ERANGE	    34
#define ENOSYS	    38
#define ETIMEDOUT   110
#define EALREADY    114
#define EINPROGRESS 115
#define ESTALE	    116

#endif
