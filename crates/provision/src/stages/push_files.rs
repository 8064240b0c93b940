//! Push files: the template's files, with `{{input}}` placeholders filled from the run's
//! inputs, written with their mode and owner. Writing a file again gives the same result.

use super::shell;
use crate::context::RunContext;
use crate::error::ProvisionError;
use berth_domain::container::ContainerSpec;
use berth_domain::run::Stage;
use berth_domain::template::{TemplateSpec, fill_placeholders, input_value};

const STAGE: Stage = Stage::PushFiles;

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    if ctx.template.files.is_empty() {
        return ctx.log(STAGE, "the template has no files").await;
    }
    let files = ctx.template.files.clone();
    for file in &files {
        let mode = u32::from_str_radix(file.mode.trim(), 8).map_err(|_| {
            ProvisionError::InvalidSpec(format!("{}: mode {:?} is not octal", file.path, file.mode))
        })?;
        let content = render(&file.content, &ctx.spec, &ctx.template);
        shell::push(ctx, &file.path, content.as_bytes(), mode, &file.owner).await?;
        // The content may hold secret inputs: only its size is logged.
        ctx.log(
            STAGE,
            format!(
                "wrote {} ({:04o}, {}, {} bytes)",
                file.path,
                mode,
                file.owner,
                content.len()
            ),
        )
        .await?;
    }
    Ok(())
}

/// Fills each `{{name}}` of a declared input with the run's value (or the input's default;
/// empty when unset); secret inputs too, since files are where they are meant to go.
/// Placeholders that name no input are left as written.
pub(crate) fn render(content: &str, spec: &ContainerSpec, template: &TemplateSpec) -> String {
    fill_placeholders(content, |name| {
        input_value(&template.inputs, name, true, |n| spec.inputs.get(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_domain::template::{InputKind, TemplateInput};

    #[test]
    fn placeholders_take_values_then_defaults() {
        let mut template = TemplateSpec::blank();
        let input = |name: &str, default: Option<&str>| TemplateInput {
            name: name.into(),
            label: name.into(),
            kind: InputKind::String,
            required: false,
            default: default.map(str::to_string),
            choices: Vec::new(),
            pattern: None,
        };
        template.inputs = vec![input("site", None), input("port", Some("8080"))];
        let mut spec = ContainerSpec::from_template(&template, 1);
        spec.inputs.set("site", "shop.example");
        assert_eq!(
            render(
                "server_name {{site}} {{ site }}; listen {{port}}; {{other}}",
                &spec,
                &template
            ),
            "server_name shop.example shop.example; listen 8080; {{other}}"
        );
    }
}
