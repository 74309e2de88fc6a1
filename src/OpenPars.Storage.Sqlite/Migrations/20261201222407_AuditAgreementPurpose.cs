using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenPars.Storage.Sqlite.Migrations
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "purpose",
                table: "audit_entries",
                type: "TEXT",
                nullable: true);

            // The new derived columns of the entries already in the log, by the rule AuditEntryFacts derives them with
            // (payload.agreementId / payload.purpose, else details.agreementId / details.purpose): `audit verify`
            // recomputes them from the bytes. The bytes themselves are never touched.
            migrationBuilder.Sql(
                """
                UPDATE audit_entries SET
                    agreement_id = CASE WHEN json_type(CAST(entry AS TEXT), '$.payload') IS NOT NULL THEN json_extract(CAST(entry AS TEXT), '$.payload.agreementId') ELSE json_extract(CAST(entry AS TEXT), '$.details.agreementId') END,
                    purpose = CASE WHEN json_type(CAST(entry AS TEXT), '$.payload') IS NOT NULL THEN json_extract(CAST(entry AS TEXT), '$.payload.purpose') ELSE json_extract(CAST(entry AS TEXT), '$.details.purpose') END
                WHERE json_type(CAST(entry AS TEXT), '$.payload') IS NOT NULL OR json_type(CAST(entry AS TEXT), '$.details') IS NOT NULL;
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
