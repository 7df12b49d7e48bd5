namespace Ragtune.Cli.Http;

/// <summary>Who may call <c>ragtune serve</c> from a browser (section <c>Ragtune:Cors</c>).</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Ragtune:Cors";

    /// <summary>Origins of web front ends allowed to call the API (<c>https://app.example.com</c>).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];
}

/// <summary>How <c>ragtune serve</c> learns who is calling (section <c>Ragtune:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Ragtune:Auth";

    /// <summary>
    /// Honour the <c>x-ms-client-principal</c> header for the caller's groups. Only behind a trusted proxy that sets
    /// it (and strips it from clients): anyone can send the header. Off by default: every caller is anonymous.
    /// </summary>
    public bool TrustClientPrincipalHeader { get; set; }
}
