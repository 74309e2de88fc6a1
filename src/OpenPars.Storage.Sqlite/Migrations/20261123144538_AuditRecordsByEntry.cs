using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenPars.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditRecordsByEntry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_audit_entry_records_index",
                table: "audit_entry_records",
                column: "index");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entry_records_index",
                table: "audit_entry_records");
        }
    }
}
