using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenPars.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AuditAgreementPurpose : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "agreement_id",
                table: "audit_entries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "purpose",
                table: "audit_entries",
                type: "text",
                nullable: true);

            // The new derived columns of the entries already in the log, by the rule AuditEntryFacts derives them with
            // (payload.agreementId / payload.purpose, else details.agreementId / details.purpose): `audit verify`
            // recomputes them from the bytes. The bytes themselves are never touched.
            migrationBuilder.Sql(
                """
                UPDATE audit_entries AS a SET
                    agreement_id = CASE WHEN s.j -> 'payload' IS NOT NULL THEN s.j -> 'payload' ->> 'agreementId' ELSE s.j -> 'details' ->> 'agreementId' END,
                    purpose = CASE WHEN s.j -> 'payload' IS NOT NULL THEN s.j -> 'payload' ->> 'purpose' ELSE s.j -> 'details' ->> 'purpose' END
                FROM (SELECT "index", convert_from(entry, 'UTF8')::jsonb AS j FROM audit_entries) AS s
                WHERE a."index" = s."index" AND (s.j -> 'payload' IS NOT NULL OR s.j -> 'details' IS NOT NULL);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_agreement_id_index",
                table: "audit_entries",
                columns: new[] { "agreement_id", "index" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_agreement_id_index",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "agreement_id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "purpose",
                table: "audit_entries");
        }
    }
}
