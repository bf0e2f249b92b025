namespace Podwake.Podman;

/// <summary>One container of a pod as its inspect lists it; <see cref="State"/> is <c>running</c>, <c>exited</c>...</summary>
internal sealed record PodMember(string Id, string Name, string State);
