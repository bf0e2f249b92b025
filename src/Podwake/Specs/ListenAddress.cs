using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Podwake.Specs;

/// <summary>
/// Host addresses as written in <c>listen:</c>: <c>8080</c> (= 127.0.0.1:8080), <c>IPV4:PORT</c> or <c>[IPV6]:PORT</c>.
/// </summary>
internal static partial class ListenAddress
{
    public const string Forms = "PORT, IPV4:PORT or [IPV6]:PORT (e.g. 8080, 0.0.0.0:80, [::1]:8080)";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and how to fix it.</summary>
    public static bool TryParse(string text, out IPEndPoint endPoint, out string problem)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        problem = "";

        if (Digits().IsMatch(text))
        {
            return TryPort(text, text, out var bare, ref problem) && Set(new IPEndPoint(IPAddress.Loopback, bare), out endPoint);
        }

        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                problem = $"\"{text}\" is not an address; use {Forms}";
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                problem = $"\"{host}\" in \"{text}\" is not an IPv6 address; use e.g. [::1]:8080 or [::]:8080";
                return false;
            }

            // Tried here (systemd 252, Linux 6.x): ListenStream= refuses any zone ("[fe80::..%eth0]", "%%4", "%%eth0":
            // "Failed to parse address value"), an unescaped "%4" is a bad specifier, and the kernel refuses to bind a
            // link-local address without one (EINVAL). .NET turned "%lo" into "%1", so it reached the unit unescaped.
            if (host.Contains('%', StringComparison.Ordinal) || v6.ScopeId != 0 || v6.IsIPv6LinkLocal)
            {
                problem = $"\"{host}\" in \"{text}\" is a link-local address or has a zone (%IFACE); podwake cannot listen on those (systemd's ListenStream= refuses a zone and Linux binds link-local addresses only with one): use a global or loopback address, or [::]:{port} for every address";
                return false;
            }

            return TryPort(text, port, out var v6Port, ref problem) && Set(new IPEndPoint(v6, v6Port), out endPoint);
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            problem = LooksLikeHost(text)
                ? $"\"{text}\" has no port and names a host; use an IP address and a port, e.g. 127.0.0.1:8080"
                : $"\"{text}\" has no port; write ADDRESS:PORT, e.g. {text}:8080";
            return false;
        }

        host = text[..colon];
        port = text[(colon + 1)..];
        if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = $"\"{text}\" looks like an IPv6 address without brackets; write [ADDRESS]:PORT, e.g. [::1]:8080";
            return false;
        }

        if (IPv4().IsMatch(host) && IPAddress.TryParse(host, out var v4))
        {
            return TryPort(text, port, out var v4Port, ref problem) && Set(new IPEndPoint(v4, v4Port), out endPoint);
        }

        problem = LooksLikeHost(host)
            ? $"\"{text}\" names a host; use an IP address instead, e.g. 127.0.0.1:{port} or 0.0.0.0:{port} (all interfaces)"
            : $"\"{text}\" is not an address; use {Forms}";
        return false;
    }

    /// <summary>Formats as the user would write it: <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>.</summary>
    public static string Format(IPEndPoint endPoint) => endPoint.ToString();

    private static bool TryPort(string text, string port, out int value, ref string problem)
    {
        value = 0;
        if (!Digits().IsMatch(port))
        {
            problem = $"\"{text}\" has no valid port; write ADDRESS:PORT with a port from 1 to 65535";
            return false;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < 1 or > 65535)
        {
            problem = $"port {port} in \"{text}\" is out of range; use 1 to 65535";
            return false;
        }

        return true;
    }

    private static bool Set(IPEndPoint value, out IPEndPoint endPoint)
    {
        endPoint = value;
        return true;
    }

    private static bool LooksLikeHost(string text) => HostName().IsMatch(text) && !IPv4().IsMatch(text);

    [GeneratedRegex(@"^[0-9]+\z")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}\z")]
    private static partial Regex IPv4();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\z")]
    private static partial Regex HostName();
}
