namespace Podwake.Specs;

/// <summary>A <c>containerPort</c> a container of a pod file declares, and where.</summary>
internal sealed record KubeContainerPort(int Port, Protocol Protocol, string? Name, SourceLocation Location)
{
    /// <summary><c>8080/TCP</c>, as Kubernetes spells it.</summary>
    public string Display => $"{Port}/{Protocol.ToText().ToUpperInvariant()}";
}
