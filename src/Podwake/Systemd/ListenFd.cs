using System.Net.Sockets;

namespace Podwake.Systemd;

/// <summary>One socket systemd passed, with its <c>FileDescriptorName=</c>.</summary>
internal sealed record ListenFd(Socket Socket, string Name);
