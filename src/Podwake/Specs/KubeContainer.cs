namespace Podwake.Specs;

/// <summary>One container of a pod file's pod template.</summary>
internal sealed record KubeContainer(string Name, string Image, IReadOnlyList<KubeContainerPort> Ports);
