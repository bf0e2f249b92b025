using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Podwake.Podman;

namespace Podwake.Updates;

/// <summary>The one-line messages of <see cref="RegistryCheckException"/>, each with its remedy.</summary>
internal static class RegistryErrors
{
    public static RegistryCheckException Unreachable(ImageLocation image, string why, Exception? inner = null) =>
        new(ImagePullFailure.Unreachable, image.Registry, $"registry {image.Registry} is unreachable ({why})", inner);

    public static RegistryCheckException Unauthorized(ImageLocation image, HttpStatusCode status, AuthLookup auth, IReadOnlyList<string> searched)
    {
        var login = $"run podman login {image.Registry}";
        var message = auth.Credentials is { } credentials
            ? $"registry {image.Registry} refused the credentials of {credentials.Source} ({Status(status)}); {login}"
            : auth.Unsupported is { } unsupported
                ? $"registry {image.Registry} requires credentials ({Status(status)}) and {unsupported}; {login}"
                : $"registry {image.Registry} requires credentials ({Status(status)}) and none are in {string.Join(", ", searched)}; {login}";
        return new RegistryCheckException(ImagePullFailure.Unauthorized, image.Registry, message);
    }

    /// <summary>404: the registry's error code tells a missing repository (NAME_UNKNOWN) from a missing tag.</summary>
    public static RegistryCheckException NotFound(ImageLocation image, string? code) =>
        new(ImagePullFailure.NotFound, image.Registry, code == "NAME_UNKNOWN"
            ? $"{image}: no such repository in the registry"
            : $"{image}: no such tag in the registry");

    public static RegistryCheckException Other(ImageLocation image, string what) =>
        new(ImagePullFailure.Other, image.Registry, $"registry {image.Registry}: {what} for {image}");

    public static string Status(HttpStatusCode status) =>
        $"{((int)status).ToString(CultureInfo.InvariantCulture)} {StatusName(status)}";

    /// <summary>Why a request did not get an answer, in podman's words where they exist (<c>connection refused</c>).</summary>
    public static RegistryCheckException FromRequestFailure(ImageLocation image, HttpRequestException e)
    {
        var socket = Inner<SocketException>(e);
        var why = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "no such host",
            SocketError.TimedOut => "connection timed out",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to host",
            SocketError.ConnectionReset => "connection reset",
            _ => null,
        };
        if (why is not null || e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
        {
            return Unreachable(image, why ?? OneLine(e.Message), e);
        }

        if (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            return new RegistryCheckException(ImagePullFailure.Other, image.Registry,
                $"registry {image.Registry}: the TLS connection failed ({OneLine(e.InnerException?.Message ?? e.Message)}); "
                + "if it serves plain HTTP or a self-signed certificate, mark it insecure = true in registries.conf, as podman needs too", e);
        }

        return Other(image, OneLine(e.InnerException?.Message ?? e.Message));
    }

    private static T? Inner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string StatusName(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.TooManyRequests => "Too Many Requests",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        _ => status.ToString(),
    };

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
