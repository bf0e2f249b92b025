using Podwake.Specs;

namespace Podwake.Export;

/// <summary>
/// The keys of a service that have no Kubernetes equivalent, each with why, in a fixed order: the comment above the
/// service's first document (README, "Exporting to Kubernetes and Knative").
/// </summary>
internal static class ExportNotes
{
    /// <summary>The notes both exports share; <paramref name="idleExported"/> when the output scales to zero itself (Knative).</summary>
    public static List<string> NotExported(ServiceSpec spec, bool idleExported)
    {
        var notes = new List<string>();
        if (!idleExported && spec.Idle is { } idle)
        {
            notes.Add($"idle: {Duration.Format(idle)}: a Deployment keeps its pod running; podwake export knative scales to zero instead");
        }

        if (spec.Restart != RestartPolicy.Always)
        {
            notes.Add($"restart: {spec.Restart.ToText()}: the pod always restarts its containers (restartPolicy Always is the only one a Deployment or a Knative revision allows)");
        }

        if (spec.Hold != ServiceSpec.DefaultHold)
        {
            notes.Add($"hold: {spec.Hold}: Kubernetes holds no connections for a service; it routes them to ready pods only");
        }

        if (spec.Ports.Any(p => p.Protocol == Protocol.Udp))
        {
            notes.Add("udp: a Service forwards datagrams without podwake's flow table, buffer or flow_idle");
        }

        if (spec.Update != UpdatePolicy.None)
        {
            notes.Add($"update: {spec.Update.ToText()}: podwake update does not reach a cluster; roll out a new image there (kubectl set image)");
        }

        if (spec.Expose.Count > 0)
        {
            notes.Add("expose: outside addresses are a NodePort, LoadBalancer or Ingress in Kubernetes");
        }

        if (spec.RunAs is { } user)
        {
            notes.Add($"run_as: {user}: a host account; give the pod a securityContext (runAsUser) instead");
        }

        if (spec.Build is not null && spec.Image is { } image)
        {
            notes.Add($"build: the cluster pulls {image}; build it and push it to a registry the cluster can pull from");
        }

        if (spec.Ports.Count > 0)
        {
            var addresses = string.Join(", ", spec.Ports.Select(p => p.ListenText).Distinct(StringComparer.Ordinal));
            notes.Add($"listen: {addresses}: host addresses are not exported; a Service is reached inside the cluster on the same port numbers (add a NodePort, LoadBalancer or Ingress for outside clients)");
        }

        return notes;
    }
}
