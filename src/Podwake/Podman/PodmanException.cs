using System.Net;

namespace Podwake.Podman;

/// <summary>The libpod API answered with a non-success status; carries podman's own <c>message</c> and <c>cause</c>.</summary>
internal sealed class PodmanException : Exception
{
    public PodmanException(string operation, HttpStatusCode statusCode, string? podmanMessage, string? cause)
        : base($"Failed to {operation}: podman answered {(int)statusCode} {statusCode}: {podmanMessage ?? "(no message)"}")
    {
        Operation = operation;
        StatusCode = statusCode;
        PodmanMessage = podmanMessage;
        Cause = cause;
    }

    /// <summary>What we were doing, e.g. <c>start container web</c>.</summary>
    public string Operation { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>podman's <c>message</c>, e.g. <c>no container with name or ID "x" found: no such container</c>.</summary>
    public string? PodmanMessage { get; }

    /// <summary>podman's <c>cause</c>, a stable short text such as <c>no such container</c> or <c>container state improper</c>.</summary>
    public string? Cause { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>
    /// Not found, or removed while podman acted on it: a pod removed during <c>pod start</c> is a 500 whose cause is
    /// "no such pod" (podman 4.3), a member container likewise "no such container".
    /// </summary>
    public bool IsGone => IsNotFound || Cause is "no such pod" or "no such container";

    /// <summary>podman 4.3 answers 500 (not 409) with this cause, e.g. when killing a container that is not running.</summary>
    public bool IsStateImproper => Cause == "container state improper";
}
