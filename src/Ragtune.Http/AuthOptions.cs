namespace Ragtune.Http;

/// <summary>How the API learns who is calling (section <c>Ragtune:Auth</c>), the same settings on both hosts.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Ragtune:Auth";

    /// <summary>
    /// Honour the <c>x-ms-client-principal</c> header for the caller's groups. Only behind a trusted proxy that sets
    /// it (and strips it from clients): anyone can send the header. Off by default: every caller is anonymous.
    /// </summary>
    public bool TrustClientPrincipalHeader { get; set; }
}
