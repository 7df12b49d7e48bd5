namespace Ragtune.Cli.Http;

/// <summary>Who may call <c>ragtune serve</c> from a browser (section <c>Ragtune:Cors</c>).</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Ragtune:Cors";

    /// <summary>Origins of web front ends allowed to call the API (<c>https://app.example.com</c>).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];
}
