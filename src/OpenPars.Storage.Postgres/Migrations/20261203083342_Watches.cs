using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenPars.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Watches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partner_watch_matches",
                columns: table => new
                {
                    watch_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    matched_position = table.Column<long>(type: "bigint", nullable: false),
                    event_position = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_watch_matches", x => new { x.watch_id, x.matched_position });
                });

            migrationBuilder.CreateTable(
                name: "partner_watches",
                columns: table => new
                {
                    watch_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    agreement_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    agency_id = table.Column<long>(type: "bigint", nullable: false),
                    agency_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    user_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    criteria_json = table.Column<string>(type: "text", nullable: false),
                    purpose = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    case_number = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registered_position = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_watches", x => x.watch_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_partner_watches_agency_code_expires_at",
                table: "partner_watches",
                columns: new[] { "agency_code", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_partner_watches_expires_at",
                table: "partner_watches",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partner_watch_matches");

            migrationBuilder.DropTable(
                name: "partner_watches");
        }
    }
}
