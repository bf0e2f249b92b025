namespace Podwake.Export;

/// <summary>The labels every exported object carries, from Kubernetes' recommended set (app.kubernetes.io/*).</summary>
internal static class KubeLabels
{
    public const string Name = "app.kubernetes.io/name";

    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string Podwake = "podwake";

    /// <summary>Both labels: what the objects are stamped with.</summary>
    public static Dictionary<string, string> Of(string service) => new(StringComparer.Ordinal)
    {
        [Name] = service,
        [ManagedBy] = Podwake,
    };

    /// <summary>The name label alone: what a Deployment's and a Service's selector match (managed-by would tie them to the tool).</summary>
    public static Dictionary<string, string> Selector(string service) => new(StringComparer.Ordinal) { [Name] = service };
}
