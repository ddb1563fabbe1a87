//! Mutant: keeps the parent as a `Weak` but caches the upgraded `Rc` on the first `parent()` call, so navigating up re-creates the cycle.
//! Family: leak or kept capacity (a cache that never frees).

use std::cell::{OnceCell, RefCell};
use std::rc::{Rc, Weak};

/// A node of the tree: a name, its children (owned), and its parent (not
/// owned).
pub struct Node {
    name: String,
    parent: Weak<Node>,
    /// The parent, upgraded once and kept ("upgrade() on every call is slow").
    parent_cache: OnceCell<Option<Rc<Node>>>,
    children: RefCell<Vec<Rc<Node>>>,
}

impl Node {
    /// A new tree with one node, named `name`, and no parent.
    pub fn new_root(name: &str) -> Rc<Node> {
        Rc::new(Node {
            name: name.to_string(),
            // `Weak::new()` points nowhere and allocates nothing.
            parent: Weak::new(),
            parent_cache: OnceCell::new(),
            children: RefCell::new(Vec::new()),
        })
    }

    /// Adds a child named `name` as the last child of `parent` and returns it.
    pub fn add_child(parent: &Rc<Node>, name: &str) -> Rc<Node> {
        let child = Rc::new(Node {
            name: name.to_string(),
            parent: Rc::downgrade(parent),
            parent_cache: OnceCell::new(),
            children: RefCell::new(Vec::new()),
        });
        parent.children.borrow_mut().push(Rc::clone(&child));
        child
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The node's parent, or `None` for a root (or when the parent no longer
    /// exists).
    pub fn parent(&self) -> Option<Rc<Node>> {
        // A strong reference for as long as the caller holds it, if the
        // parent is still alive.
        self.parent_cache
            .get_or_init(|| self.parent.upgrade())
            .clone()
    }

    /// The child at `index`, if there is one.
    pub fn child(&self, index: usize) -> Option<Rc<Node>> {
        self.children.borrow().get(index).cloned()
    }

    /// How many children the node has.
    pub fn child_count(&self) -> usize {
        self.children.borrow().len()
    }

    /// The names from the root down to this node, joined by `/`:
    /// `"root/2/0"`.
    pub fn path(&self) -> String {
        let mut names = vec![self.name.clone()];
        let mut next = self.parent();
        while let Some(node) = next {
            names.push(node.name.clone());
            next = node.parent();
        }
        names.reverse();
        names.join("/")
    }
}

/// Builds a full tree: a root named `"root"` and `depth` levels below it,
/// each node with `fanout` children named `"0"`, `"1"`, ... by position.
pub fn build_tree(depth: usize, fanout: usize) -> Rc<Node> {
    let root = Node::new_root("root");
    grow(&root, depth, fanout);
    root
}

fn grow(node: &Rc<Node>, depth: usize, fanout: usize) {
    if depth == 0 {
        return;
    }
    for i in 0..fanout {
        let child = Node::add_child(node, &i.to_string());
        grow(&child, depth - 1, fanout);
    }
}

/// The number of nodes in the tree below `node`, `node` included.
pub fn count_nodes(node: &Node) -> usize {
    1 + node
        .children
        .borrow()
        .iter()
        .map(|child| count_nodes(child))
        .sum::<usize>()
}
