/** The docs site's own styles: the signing panel above Swagger UI, and the signing guide page. */
export const DOCS_STYLESHEET = `
.vetted-signing {
  box-sizing: border-box; max-width: 1460px; margin: 16px auto 0; padding: 16px 20px;
  font-family: sans-serif; color: #3b4151; background: #f7f9fc;
  border: 1px solid #d8dde7; border-radius: 4px;
}
.vetted-signing h2 { margin: 0 0 6px; font-size: 20px; }
.vetted-signing p { margin: 6px 0; font-size: 14px; line-height: 1.4; }
.vetted-signing a { color: #4990e2; }
.vetted-fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 10px; margin: 10px 0; }
.vetted-fields label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; font-weight: bold; }
.vetted-fields input { font: 13px monospace; padding: 7px 8px; border: 1px solid #b5bcc8; border-radius: 4px; }
.vetted-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 16px; font-size: 13px; }
.vetted-remember { display: flex; align-items: center; gap: 6px; }
.vetted-actions button {
  font: bold 13px sans-serif; padding: 6px 14px; color: #fff; background: #49cc90;
  border: 1px solid #2f9e6b; border-radius: 4px; cursor: pointer;
}
.vetted-status { font-style: italic; }
/* The panel above replaces Swagger UI's "Authorize" dialog, which cannot sign. */
#swagger-ui .auth-wrapper, #swagger-ui .authorization__btn { display: none; }

.vetted-guide { margin: 0; font: 16px/1.55 sans-serif; color: #24292f; }
.vetted-guide nav, .vetted-guide main { max-width: 860px; margin: 0 auto; padding: 12px 20px; }
.vetted-guide nav a, .vetted-guide main a { color: #0969da; }
.vetted-guide code { font: 14px monospace; background: #f1f3f5; padding: 1px 4px; border-radius: 3px; }
.vetted-guide pre { background: #f1f3f5; padding: 12px; overflow-x: auto; border-radius: 4px; }
.vetted-guide pre code { padding: 0; }
.vetted-guide table { border-collapse: collapse; }
.vetted-guide th, .vetted-guide td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
.vetted-guide blockquote { margin: 0; padding: 4px 16px; border-left: 4px solid #d4a72c; background: #fff8c5; }
`;
