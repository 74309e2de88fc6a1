using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenPars.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Agreements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "adult_at_booking",
                table: "arrests",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Rows booked before this column existed: 18 or older on the UTC booking date. SQLite moves 29 February
            // + 18 years to 1 March (later than .NET's 28 February), so this backfill can only err on the side of
            // "not adult", which withholds the row from partners (fail closed); the next write recomputes it exactly.
            migrationBuilder.Sql(
                "UPDATE arrests SET adult_at_booking = CASE WHEN date_of_birth IS NOT NULL AND " +
                "date(date_of_birth, '+18 years') <= date((booked_at - 621355968000000000) / 10000000, 'unixepoch') THEN 1 ELSE 0 END;");

            migrationBuilder.CreateTable(
                name: "agreements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    agreement_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    partner_agency = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "agreement_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    agreement_row_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    agency_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_agreement_events_agreements_agreement_row_id",
                        column: x => x.agreement_row_id,
                        principalTable: "agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agreement_events_agreement_row_id_sequence",
                table: "agreement_events",
                columns: new[] { "agreement_row_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agreements_agreement_id",
                table: "agreements",
                column: "agreement_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agreements_partner_agency_id",
                table: "agreements",
                columns: new[] { "partner_agency", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_events");

            migrationBuilder.DropTable(
                name: "agreements");

            migrationBuilder.DropColumn(
                name: "adult_at_booking",
                table: "arrests");
        }
    }
}
