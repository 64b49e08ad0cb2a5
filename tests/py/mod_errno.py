# errno: MicroPython's constants have their Linux values; errorcode maps them back
import errno

names = ["EPERM", "ENOENT", "EIO", "EBADF", "EAGAIN", "ENOMEM", "EACCES", "EEXIST", "ENODEV", "ENOTDIR", "EISDIR",
         "EINVAL", "ENOSPC", "EROFS", "EPIPE", "ENOTEMPTY", "EOPNOTSUPP", "EADDRINUSE", "ECONNABORTED", "ECONNRESET",
         "ENOBUFS", "ENOTCONN", "ETIMEDOUT", "ECONNREFUSED", "EHOSTUNREACH", "EALREADY", "EINPROGRESS"]
for n in names:
    v = getattr(errno, n)
    print(n, v, errno.errorcode[v] if n != "EOPNOTSUPP" else "", type(v).__name__)
print(errno.__name__, type(errno.errorcode).__name__, errno.EIO in errno.errorcode, -1 in errno.errorcode)
try:
    raise OSError(errno.ENOENT, "no such file")
except OSError as e:
    print(e.args, e.args[0] == errno.ENOENT, errno.errorcode[e.args[0]])
try:
    errno.ENOSUCH
except AttributeError:
    print("AttributeError")
